// age v1 (core/bundle, docs/formats.md 15) and its primitives (core/crypto/modern.h): the RFC test
// vectors, an identity/recipient pair made by the real age-keygen 1.1.1, round trips, STREAM chunk
// edges, the header MAC, and what every damaged or truncated byte of a bundle does.
#include "bundle/age.h"
#include "bundle/bech32.h"
#include "bundle/bundle.h"
#include "crypto/modern.h"
#include "format/registry.h"
#include "secrets/memorysecretstore.h"
#include "testutil.h"

#include <QtTest>

using namespace sd;
using sdtest::hexToBytes;

namespace {

SecretBytes sb(const QByteArray &b) { return SecretBytes::fromByteArray(b); }
QByteArray hex(const SecretBytes &s) { return s.exposeUnsafeHex(); }

// An age-keygen 1.1.1 pair (made for this test; the key protects nothing).
const QByteArray kKeygenSecret = "AGE-SECRET-KEY-1NTJL2YUPVYTY9CSXXGW80F3PCPY3XCZ3AEZUJ7REVULPS5PVYX9QZYJDKN";
const QString kKeygenRecipient = QStringLiteral("age10mdh9e2end5r4l0phrxaeevhh5e5gnqh5jeezdvv3j8fykhxz5ascuv7d3");

class FixedKeys : public age::KeySource {
public:
    std::vector<age::Identity> ids;
    std::optional<QByteArray> pass;
    int identityAsks = 0, passAsks = 0;
    Result<std::vector<age::Identity>> identities() override
    {
        ++identityAsks;
        return ids;
    }
    Result<SecretBytes> passphrase() override
    {
        ++passAsks;
        if (!pass)
            return Error::secret(QStringLiteral("no passphrase"));
        return sb(*pass);
    }
};

QByteArray pattern(qsizetype n)
{
    QByteArray b(n, '\0');
    for (qsizetype i = 0; i < n; ++i)
        b[i] = static_cast<char>((i * 131 + 7) & 0xff);
    return b;
}

Result<QByteArray> open(const QByteArray &file, FixedKeys &keys)
{
    auto r = age::decrypt(file, keys);
    if (!r)
        return r.error();
    return r->exposeUnsafe();
}

} // namespace

class TestBundle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // RFC 7748 5.2 (one scalar multiplication) and 6.1 (the Diffie-Hellman example).
    void x25519Rfc7748()
    {
        auto out = crypto::x25519(sb(hexToBytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")),
                                  hexToBytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        QVERIFY(out);
        QCOMPARE(hex(*out), QByteArray("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
        const SecretBytes alice = sb(hexToBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        const SecretBytes bob = sb(hexToBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        QCOMPARE(crypto::x25519PublicKey(alice).toHex(), QByteArray("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        QCOMPARE(crypto::x25519PublicKey(bob).toHex(), QByteArray("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
        auto k1 = crypto::x25519(alice, crypto::x25519PublicKey(bob));
        auto k2 = crypto::x25519(bob, crypto::x25519PublicKey(alice));
        QVERIFY(k1 && k2);
        QCOMPARE(hex(*k1), QByteArray("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
        QCOMPARE(hex(*k2), hex(*k1));
        // A low-order point (u = 0) gives the all-zero secret: refused.
        QVERIFY(!crypto::x25519(alice, QByteArray(32, '\0')));
    }
    // RFC 5869 test case 1; RFC 4231 test case 2.
    void hkdfAndHmac()
    {
        const SecretBytes okm = crypto::hkdfSha256(sb(QByteArray(22, '\x0b')), hexToBytes("000102030405060708090a0b0c"),
                                                   hexToBytes("f0f1f2f3f4f5f6f7f8f9"), 42);
        QCOMPARE(hex(okm), QByteArray("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
        // RFC 5869 test case 3: empty salt and info.
        QCOMPARE(hex(crypto::hkdfSha256(sb(QByteArray(22, '\x0b')), {}, {}, 42)),
                 QByteArray("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
        QCOMPARE(crypto::hmacSha256(sb("Jefe"), "what do ya want for nothing?").toHex(),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }
    // RFC 8439 2.8.2.
    void chachaPolyRfc8439()
    {
        QByteArray key;
        for (int i = 0x80; i < 0xa0; ++i)
            key.append(static_cast<char>(i));
        const QByteArray nonce = hexToBytes("070000004041424344454647");
        const QByteArray aad = hexToBytes("50515253c0c1c2c3c4c5c6c7");
        const QByteArray pt = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
                              "sunscreen would be it.";
        const QByteArray sealed = crypto::chachaPolySeal(sb(key), nonce, pt, aad);
        QCOMPARE(sealed.toHex(),
                 QByteArray("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                            "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                            "3ff4def08e4b7a9de576d26586cec64b6116"
                            "1ae10b594f09e26a7e902ecbd0600691"));
        auto back = crypto::chachaPolyOpen(sb(key), nonce, sealed, aad);
        QVERIFY(back);
        QCOMPARE(back->exposeUnsafe(), pt);
        QByteArray bad = sealed;
        bad[5] = static_cast<char>(bad[5] ^ 1);
        QVERIFY(!crypto::chachaPolyOpen(sb(key), nonce, bad, aad));
        QVERIFY(!crypto::chachaPolyOpen(sb(key), nonce, sealed, {}));
    }
    // RFC 7914 section 12 (the first two vectors; the others need 1 GiB).
    void scryptRfc7914()
    {
        auto a = crypto::scrypt(SecretBytes(), QByteArray(""), 4, 1, 1, 64);
        QVERIFY(a);
        QCOMPARE(hex(*a), QByteArray("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                                     "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"));
        auto b = crypto::scrypt(sb("password"), "NaCl", 10, 8, 16, 64);
        QVERIFY(b);
        QCOMPARE(hex(*b), QByteArray("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                                     "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"));
    }
    void bech32KeysMatchAgeKeygen()
    {
        auto ids = age::parseIdentityFile("# created by age-keygen\n# public key: x\n" + kKeygenSecret + "\n");
        QVERIFY2(ids, qPrintable(ids ? QString() : ids.error().message));
        QCOMPARE(ids->size(), size_t(1));
        QCOMPARE(ids->front().recipient(), kKeygenRecipient);
        QCOMPARE(ids->front().encoded().exposeUnsafe(), kKeygenSecret);
        auto pk = age::parseRecipient(kKeygenRecipient);
        QVERIFY(pk);
        QCOMPARE(*pk, ids->front().publicKey());
        // One changed character breaks the checksum; mixed case and upper-case recipients are refused.
        QString bad = kKeygenRecipient;
        bad[10] = bad[10] == QLatin1Char('q') ? QLatin1Char('p') : QLatin1Char('q');
        QCOMPARE(age::parseRecipient(bad).ok(), false);
        QCOMPARE(age::parseRecipient(kKeygenRecipient.toUpper()).ok(), false);
        QCOMPARE(age::parseRecipient(kKeygenRecipient.toUpper()).error().kind, ErrorKind::Usage);
        QCOMPARE(age::parseIdentityFile(kKeygenSecret.toLower()).ok(), false);
        QCOMPARE(age::parseIdentityFile(kKeygenSecret.toLower()).error().kind, ErrorKind::Secret);
        QCOMPARE(age::parseIdentityFile("# only comments\n").ok(), false);
        QVERIFY(!bech32::decode("Age1qqqqqq"));
    }
    void roundTripSizesAndChunking_data()
    {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<int>("chunks");
        QTest::newRow("empty") << qsizetype(0) << 1;
        QTest::newRow("one byte") << qsizetype(1) << 1;
        QTest::newRow("64 KiB - 1") << qsizetype(65535) << 1;
        QTest::newRow("exactly 64 KiB") << qsizetype(65536) << 1;
        QTest::newRow("64 KiB + 1") << qsizetype(65537) << 2;
        QTest::newRow("exactly 128 KiB") << qsizetype(131072) << 2;
        QTest::newRow("300000") << qsizetype(300000) << 5;
    }
    void roundTripSizesAndChunking()
    {
        QFETCH(qsizetype, size);
        QFETCH(int, chunks);
        const age::Identity id = age::Identity::generate();
        age::EncryptOptions eo;
        eo.recipients.push_back(id.publicKey());
        const QByteArray pt = pattern(size);
        auto file = age::encrypt(pt, eo);
        QVERIFY(file);
        auto h = age::parseHeader(*file);
        QVERIFY(h);
        QCOMPARE(h->stanzas.size(), size_t(1));
        // payload = 16-byte nonce + plaintext + one 16-byte tag per chunk
        QCOMPARE(file->size() - h->payloadOffset, 16 + size + 16 * chunks);
        FixedKeys keys;
        keys.ids.push_back(id);
        auto back = open(*file, keys);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(*back, pt);
        QCOMPARE(keys.passAsks, 0);
    }
    // The payload layer on its own: a full final chunk carries the last flag; the same bytes without
    // it, an empty final chunk after a full one, and a chunk moved are all refused.
    void streamEdges()
    {
        const SecretBytes fileKey = SecretBytes::random(16);
        const QByteArray nonce = QByteArray(16, '\x42');
        const QByteArray full = age::encryptPayload(fileKey, nonce, pattern(65536));
        QCOMPARE(full.size(), 16 + 65536 + 16);
        QVERIFY(age::decryptPayload(fileKey, full));
        // Two full chunks: the first without, the second with the last flag.
        const QByteArray two = age::encryptPayload(fileKey, nonce, pattern(131072));
        QVERIFY(age::decryptPayload(fileKey, two));
        // Cut after the first chunk: its tag was made without the last flag, so it cannot end the stream.
        auto cut = age::decryptPayload(fileKey, QByteArrayView(two).first(16 + 65536 + 16));
        QVERIFY(!cut);
        QCOMPARE(cut.error().kind, ErrorKind::BadInput);
        // Swap the two chunks.
        QByteArray swapped = two.left(16) + two.mid(16 + 65552, 65552) + two.mid(16, 65552);
        QVERIFY(!age::decryptPayload(fileKey, swapped));
        // Empty payload: exactly one empty chunk (nonce + tag); nothing after the nonce is truncation.
        const QByteArray empty = age::encryptPayload(fileKey, nonce, {});
        QCOMPARE(empty.size(), 32);
        QVERIFY(age::decryptPayload(fileKey, empty));
        QCOMPARE(age::decryptPayload(fileKey, empty.left(16)).ok(), false);
        // Trailing garbage after the last chunk.
        QVERIFY(!age::decryptPayload(fileKey, QByteArray(full + QByteArray(1, 0))));
        // Wrong file key.
        QVERIFY(!age::decryptPayload(SecretBytes::random(16), full));
    }
    void severalRecipients()
    {
        const age::Identity a = age::Identity::generate(), b = age::Identity::generate(), c = age::Identity::generate();
        age::EncryptOptions eo;
        eo.recipients = {a.publicKey(), b.publicKey()};
        auto file = age::encrypt("hello", eo);
        QVERIFY(file);
        QCOMPARE(age::parseHeader(*file)->stanzas.size(), size_t(2));
        for (const age::Identity *id : {&a, &b}) {
            FixedKeys k;
            k.ids = {*id};
            QCOMPARE(open(*file, k).value(), QByteArray("hello"));
        }
        FixedKeys wrong;
        wrong.ids = {c};
        auto r = open(*file, wrong);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Secret);
        // Several identities, the matching one last.
        FixedKeys many;
        many.ids = {c, b};
        QVERIFY(open(*file, many));
    }
    void passphrase()
    {
        age::EncryptOptions eo;
        eo.passphrase = sb("correct horse");
        eo.workFactor = 10;
        auto file = age::encrypt(pattern(70000), eo);
        QVERIFY(file);
        auto h = age::parseHeader(*file);
        QVERIFY(h && h->isPassphrase());
        QCOMPARE(h->stanzas.front().args.value(1), QByteArray("10"));
        FixedKeys ok;
        ok.pass = "correct horse";
        QCOMPARE(open(*file, ok).value(), pattern(70000));
        QCOMPARE(ok.identityAsks, 0);
        FixedKeys wrong;
        wrong.pass = "correct horse!";
        auto r = open(*file, wrong);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Secret);
        // A cap below the file's work factor refuses before asking anything.
        FixedKeys capped;
        capped.pass = "correct horse";
        auto c = age::decrypt(*file, capped, 9);
        QVERIFY(!c);
        QCOMPARE(c.error().kind, ErrorKind::BadInput);
        QCOMPARE(capped.passAsks, 0);
        // Recipients and a passphrase together are refused when writing.
        eo.recipients.push_back(age::Identity::generate().publicKey());
        QCOMPARE(age::encrypt("x", eo).ok(), false);
    }
    // A scrypt stanza next to another stanza is malformed (docs/formats.md 15), even with a valid MAC.
    void scryptMustBeAlone()
    {
        age::EncryptOptions eo;
        eo.passphrase = sb("p");
        eo.workFactor = 2;
        QByteArray file = *age::encrypt("x", eo);
        const qsizetype at = file.indexOf("-> scrypt");
        file.insert(at, "-> X25519 " + QByteArray(43, 'A') + "\n" + QByteArray(43, 'A') + "\n");
        FixedKeys k;
        k.pass = "p";
        auto r = age::decrypt(file, k);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("only stanza")));
    }
    // The header MAC covers every header byte: an added stanza (which the identity ignores), an
    // argument added to it, or a changed MAC make a file whose key still unwraps fail with exit 3.
    void headerMac()
    {
        const age::Identity id = age::Identity::generate();
        age::EncryptOptions eo;
        eo.recipients.push_back(id.publicKey());
        const QByteArray file = *age::encrypt("payload", eo);
        FixedKeys k;
        k.ids = {id};
        QVERIFY(open(file, k));
        QByteArray extra = file;
        extra.insert(extra.indexOf("---"), "-> grease x\nAAAA\n");
        auto r = open(extra, k);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::BadInput);
        QVERIFY(r.error().message.contains(QStringLiteral("MAC")));
        QByteArray mac = file;
        const qsizetype m = mac.indexOf("--- ") + 5;
        mac[m] = mac[m] == 'A' ? 'B' : 'A';
        auto r2 = open(mac, k);
        QVERIFY(!r2);
        QCOMPARE(r2.error().kind, ErrorKind::BadInput);
        // The MAC itself: HMAC-SHA256 keyed by HKDF(file key, "", "header") over the header through "---".
        auto h = age::parseHeader(file);
        QVERIFY(h->macInput.endsWith("\n---"));
        QVERIFY(h->macInput.startsWith("age-encryption.org/v1\n-> X25519 "));
        // Unknown stanzas with a valid MAC are ignored (the grease rule): rebuild one with our own key.
        QVERIFY(age::parseHeader(extra));
    }
    // Every single-byte change and every truncation of a small bundle fails without yielding a byte.
    // Exit 3 everywhere, except inside the recipient stanza (its type, share or salt and work factor,
    // wrapped key): a changed stanza is indistinguishable from one for another recipient or
    // passphrase, a changed type ("Y25519") from a recipient type we do not support; some of those
    // changes are exit 4 (docs/formats.md 15.2), and the walk checks that some are.
    void everyFlippedByteAndTruncation_data()
    {
        QTest::addColumn<bool>("passphrase");
        QTest::newRow("X25519") << false;
        QTest::newRow("scrypt") << true;
    }
    void everyFlippedByteAndTruncation()
    {
        QFETCH(bool, passphrase);
        const age::Identity id = age::Identity::generate();
        age::EncryptOptions eo;
        if (passphrase) {
            eo.passphrase = sb("pass");
            eo.workFactor = 2;
        } else {
            eo.recipients.push_back(id.publicKey());
        }
        const QByteArray file = *age::encrypt(pattern(300), eo);
        auto keys = [&] {
            FixedKeys k;
            k.ids = {id};
            k.pass = "pass";
            return k;
        };
        const qsizetype stanzaType = file.indexOf("\n-> ") + 4;
        const qsizetype stanzaEnd = file.indexOf("\n---");
        int secretInStanza = 0;
        for (qsizetype i = 0; i < file.size(); ++i) {
            for (int mask : {0x01, 0x80, 0xff}) {
                QByteArray bad = file;
                bad[i] = static_cast<char>(bad[i] ^ mask);
                FixedKeys k = keys();
                auto r = age::decrypt(bad, k);
                QVERIFY2(!r, qPrintable(QStringLiteral("byte %1 mask %2 decrypted").arg(i).arg(mask)));
                const bool inStanza = i >= stanzaType && i < stanzaEnd && file[i] != '\n';
                if (inStanza) {
                    QVERIFY(r.error().kind == ErrorKind::BadInput || r.error().kind == ErrorKind::Secret);
                    secretInStanza += r.error().kind == ErrorKind::Secret;
                } else {
                    QVERIFY2(r.error().kind == ErrorKind::BadInput,
                             qPrintable(QStringLiteral("byte %1 mask %2: %3").arg(i).arg(mask).arg(r.error().message)));
                }
            }
        }
        QVERIFY2(secretInStanza > 10, qPrintable(QString::number(secretInStanza)));
        for (qsizetype n = 0; n < file.size(); ++n) {
            FixedKeys k = keys();
            auto r = age::decrypt(QByteArrayView(file).first(n), k);
            QVERIFY(!r);
            QCOMPARE(r.error().kind, ErrorKind::BadInput);
        }
    }
    void machineIdentityIsCreatedOnceAndKept()
    {
        MemorySecretStore store;
        auto none = bundle::findMachineIdentity(store);
        QVERIFY(none && !*none);
        auto a = bundle::machineIdentity(store);
        QVERIFY(a);
        auto b = bundle::machineIdentity(store);
        QVERIFY(b);
        QCOMPARE(a->recipient(), b->recipient());
        QVERIFY(a->recipient().startsWith(QStringLiteral("age1")));
        auto fallback = bundle::machineIdentityFallback(store)();
        QVERIFY(fallback);
        QCOMPARE(fallback->front().recipient(), a->recipient());
        MemorySecretStore empty;
        auto missing = bundle::machineIdentityFallback(empty)();
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, ErrorKind::Secret);
    }
    // The registry detects a bundle by its header line and reads it as a Store.
    void bundleFormatReadsSealedStore()
    {
        Store st;
        st.formatId = QStringLiteral("telethon-sqlite");
        Session s;
        s.dcId = 2;
        const SecretBytes key = SecretBytes::random(256);
        s.upsertDc(2).authKey = key;
        s.userId = 777;
        st.accounts.push_back(s);
        const age::Identity id = age::Identity::generate();
        age::EncryptOptions eo;
        eo.recipients.push_back(id.publicKey());
        auto sealed = bundle::seal(st, eo);
        QVERIFY(sealed);
        QVERIFY(!sealed->contains(key.exposeUnsafe().toBase64()));
        Probe p = Probe::fromString({});
        p.isString = false;
        p.head = sealed->left(65536);
        auto f = Registry::instance().detect(p);
        QVERIFY(f);
        QCOMPARE((*f)->id(), QStringLiteral("sessiondesk-bundle"));
        ReadOptions ro;
        auto keys = std::make_shared<bundle::Keys>();
        keys->addIdentities({id});
        ro.bundleKeys = keys;
        auto back = (*f)->read(Source::fromString(*sealed, QStringLiteral("b.age")), ro);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->formatId, QStringLiteral("sessiondesk-bundle"));
        QCOMPARE(back->accounts.size(), size_t(1));
        QVERIFY(back->accounts.front().primary()->authKey == key);
        QCOMPARE(back->accounts.front().userId, std::optional<qint64>(777));
        ReadOptions none;
        auto r = (*f)->read(Source::fromString(*sealed, QStringLiteral("b.age")), none);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::Secret);
    }
};

QTEST_GUILESS_MAIN(TestBundle)
#include "tst_bundle.moc"
