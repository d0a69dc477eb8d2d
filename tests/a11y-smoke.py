#!/usr/bin/python3
# Accessibility smoke test over AT-SPI: finds SessionDesk's main actions by name and presses one
# ("Audit folders"), then checks that the Audit window appeared and has named controls.
import sys
import time

import pyatspi

WANTED = ["Open", "Import", "Save", "Export", "Prune peer cache", "Audit folders"]


def find_app(name, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name and name in app.name.lower():
                return app
        time.sleep(0.5)
    return None


def walk(node, depth=0):
    if node is None or depth > 40:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def clean(text):
    return (text or "").replace("&", "").replace("\u2026", "").strip()


def main():
    app = find_app("sessiondesk")
    if app is None:
        print("FAIL: the sessiondesk application never showed up on the accessibility bus")
        return 1
    found = {}
    for node in walk(app):
        try:
            role = node.getRoleName()
            name = clean(node.name)
        except Exception:
            continue
        if role in ("push button", "menu item", "toggle button") and name in WANTED and name not in found:
            found[name] = node
    missing = [w for w in WANTED if w not in found]
    print("actions found by name:", ", ".join(sorted(found)))
    if missing:
        print("FAIL: not found by name:", ", ".join(missing))
        return 1
    target = found["Audit folders"]
    action = target.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    index = names.index("Press") if "Press" in names else 0
    try:
        action.doAction(index)
    except Exception as e:  # a modal dialog keeps the call open until it closes: no reply is expected
        print("doAction returned without a reply (the modal Audit window is open):", str(e).split(".")[0])
    end = time.time() + 20
    while time.time() < end:
        for node in walk(app):
            try:
                if node.getRoleName() in ("dialog", "frame", "window") and clean(node.name) == "Audit sessions":
                    run = [n for n in walk(node) if clean(n.name) == "Run audit"]
                    print("pressed 'Audit folders': the 'Audit sessions' window opened;",
                          "'Run audit' button", "found" if run else "missing")
                    return 0 if run else 1
            except Exception:
                continue
        time.sleep(0.5)
    print("FAIL: pressing 'Audit folders' opened no 'Audit sessions' window")
    return 1


if __name__ == "__main__":
    sys.exit(main())
