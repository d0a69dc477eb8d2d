# CPack: a Debian package (cpack -G DEB in the build folder, or `cmake --build build --target package`).
set(CPACK_PACKAGE_NAME "sessiondesk")
set(CPACK_PACKAGE_VENDOR "SessionDesk developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "SessionDesk opens, audits, converts and prunes the session files of Telegram MTProto client libraries \
(Telethon, Pyrogram, GramJS, mtcute, gogram, gotd, mtgo, ferogram, Telegram Desktop tdata). \
It ships the desktop application (sessiondesk) and the command-line tool (sessiondesk-cli).")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/sessiondesk/sessiondesk")
set(CPACK_PACKAGE_CONTACT "SessionDesk developers <sessiondesk@users.noreply.github.com>")
set(CPACK_PACKAGE_FILE_NAME "${CPACK_PACKAGE_NAME}_${PROJECT_VERSION}_amd64")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")

set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "amd64")
# Debian 12 (bookworm) runtime libraries. dpkg-shlibdeps fills in exact versions when available.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6gui6 (>= 6.4), libqt6widgets6 (>= 6.4), libqt6sql6 (>= 6.4), libqt6sql6-sqlite (>= 6.4), qt6-qpa-plugins, libqt6keychain1 (>= 0.13), libssl3 (>= 3.0), libsqlite3-0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-telethon")

include(CPack)
