// Known-answer tests for core/crypto: AES-IGE, PBKDF2-HMAC-SHA512/SHA1, digests, the tdata KDFs.
#include "crypto/crypto.h"
#include "crypto/tdatakdf.h"
#include "testutil.h"

#include <QtTest>
#include <openssl/evp.h>

using namespace sd;
using sdtest::hexToBytes;

namespace {

// A second, independent IGE composition for the cross-check: one EVP context per block, the
// textbook formula written out with explicit x/y chains.
QByteArray naiveIgeEncrypt(const QByteArray &pt, const QByteArray &key, const QByteArray &iv)
{
    QByteArray y = iv.left(16), x = iv.mid(16), out;
    for (qsizetype off = 0; off < pt.size(); off += 16) {
        const QByteArray p = pt.mid(off, 16);
        QByteArray in(16, '\0');
        for (int i = 0; i < 16; ++i)
            in[i] = static_cast<char>(p[i] ^ y[i]);
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), nullptr, reinterpret_cast<const unsigned char *>(key.constData()), nullptr);
        EVP_CIPHER_CTX_set_padding(ctx, 0);
        unsigned char enc[32];
        int len = 0;
        EVP_EncryptUpdate(ctx, enc, &len, reinterpret_cast<const unsigned char *>(in.constData()), 16);
        EVP_CIPHER_CTX_free(ctx);
        QByteArray c(16, '\0');
        for (int i = 0; i < 16; ++i)
            c[i] = static_cast<char>(enc[i] ^ static_cast<unsigned char>(x[i]));
        out += c;
        y = c;
        x = p;
    }
    return out;
}

} // namespace

class TestCrypto : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void digests()
    {
        QCOMPARE(crypto::md5("data").toHex(), QByteArray("8d777f385d3dfec8815d20f7496026dc"));
        QCOMPARE(crypto::sha1("abc").toHex(), QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d"));
        QCOMPARE(crypto::sha256("abc").toHex(),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(crypto::sha512("abc").toHex().left(32), QByteArray("ddaf35a193617abacc417349ae204131"));
        QCOMPARE(crypto::sha1({QByteArray("a"), QByteArray(), QByteArray("bc")}), crypto::sha1("abc"));
        // docs/formats.md 0.1: SHA1(bytes 0..255).
        QByteArray k;
        for (int i = 0; i < 256; ++i)
            k.append(static_cast<char>(i));
        QCOMPARE(crypto::sha1(k).toHex(), QByteArray("4916d6bdb7f78e6803698cab32d1586ea457dfc8"));
    }

    void igePublishedVector()
    {
        // OpenSSL test/igetest.c (Ben Laurie's IGE paper), AES-128: key 00..0f, IV 00..1f,
        // 32 zero bytes of plaintext.
        QByteArray key, iv;
        for (int i = 0; i < 16; ++i)
            key.append(static_cast<char>(i));
        for (int i = 0; i < 32; ++i)
            iv.append(static_cast<char>(i));
        const QByteArray pt(32, '\0');
        const QByteArray expected = hexToBytes("1a8519a6557be652e9da8e43da4ef4453cf456b4ca488aa383c79c98b34797cb");
        auto ct = crypto::aesIgeEncrypt(pt, key, iv);
        QVERIFY(ct);
        QCOMPARE(ct->toHex(), expected.toHex());
        auto back = crypto::aesIgeDecrypt(*ct, key, iv);
        QVERIFY(back);
        QCOMPARE(*back, pt);
    }

    void ige256Vector()
    {
        // AES-256-IGE, derived independently with python3-cryptography's AES-ECB:
        //   key = bytes(range(32)), iv = bytes(range(0x40, 0x60)), pt = the 64-byte text below,
        //   c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}, c_0 = iv[:16], p_0 = iv[16:].
        QByteArray key, iv;
        for (int i = 0; i < 32; ++i) {
            key.append(static_cast<char>(i));
            iv.append(static_cast<char>(0x40 + i));
        }
        const QByteArray pt("SessionDesk IGE known-answer test vector, 64 bytes long......!!!");
        QCOMPARE(pt.size(), 64);
        const QByteArray expected = hexToBytes(
            "3f8d778bf3d4cb63cb8dee05e2a0065fcce6b2e55a91f7d091caa3d15f641150"
            "ac7325c2bde780f30b087ad2f910b53cebfba55a4ef38663a8b445d70ba6a6e4");
        auto ct = crypto::aesIgeEncrypt(pt, key, iv);
        QVERIFY(ct);
        QCOMPARE(ct->toHex(), expected.toHex());
        QCOMPARE(naiveIgeEncrypt(pt, key, iv).toHex(), expected.toHex());
        auto back = crypto::aesIgeDecrypt(*ct, key, iv);
        QVERIFY(back);
        QCOMPARE(*back, pt);
        // IGE propagates: flipping one ciphertext bit garbles every later plaintext block.
        QByteArray bad = *ct;
        bad[5] = static_cast<char>(bad[5] ^ 1);
        auto garbled = crypto::aesIgeDecrypt(bad, key, iv);
        QVERIFY(garbled);
        QVERIFY(garbled->left(16) != pt.left(16));
        QVERIFY(garbled->mid(48) != pt.mid(48));
    }

    void igeRandomCrossCheck()
    {
        for (int round = 0; round < 20; ++round) {
            const QByteArray key = crypto::randomBytes(32), iv = crypto::randomBytes(32);
            const QByteArray pt = crypto::randomBytes(16 * (1 + round));
            auto ct = crypto::aesIgeEncrypt(pt, key, iv);
            QVERIFY(ct);
            QCOMPARE(*ct, naiveIgeEncrypt(pt, key, iv));
            QCOMPARE(*crypto::aesIgeDecrypt(*ct, key, iv), pt);
        }
    }

    void igeRejectsBadSizes()
    {
        QVERIFY(!crypto::aesIgeEncrypt(QByteArray(15, 'a'), QByteArray(32, 'k'), QByteArray(32, 'i')));
        QVERIFY(!crypto::aesIgeEncrypt(QByteArray(16, 'a'), QByteArray(31, 'k'), QByteArray(32, 'i')));
        QVERIFY(!crypto::aesIgeDecrypt(QByteArray(16, 'a'), QByteArray(32, 'k'), QByteArray(16, 'i')));
        auto empty = crypto::aesIgeEncrypt(QByteArray(), QByteArray(32, 'k'), QByteArray(32, 'i'));
        QVERIFY(empty && empty->isEmpty());
    }

    void pbkdf2Vectors()
    {
        // PBKDF2-HMAC-SHA512 vectors in the RFC 6070 style, cross-checked with python3
        // hashlib.pbkdf2_hmac('sha512', ...).
        QCOMPARE(crypto::pbkdf2Sha512("password", "salt", 1, 64).toHex(),
                 QByteArray("867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                            "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce"));
        QCOMPARE(crypto::pbkdf2Sha512("password", "salt", 2, 64).toHex(),
                 QByteArray("e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53c"
                            "f76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"));
        QCOMPARE(crypto::pbkdf2Sha512("password", "salt", 4096, 64).toHex(),
                 QByteArray("d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5"
                            "143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5"));
        QCOMPARE(crypto::pbkdf2Sha512("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 64).toHex(),
                 QByteArray("8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71"
                            "115b59f9e60cd9532fa33e0f75aefe30225c583a186cd82bd4daea9724a3d3b8"));
        // RFC 6070 PBKDF2-HMAC-SHA1, c = 2.
        QCOMPARE(crypto::pbkdf2Sha1("password", "salt", 2, 20).toHex(),
                 QByteArray("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"));
        QVERIFY(crypto::pbkdf2Sha512("p", "s", 0, 64).isEmpty());
    }

    void tdataPasscodeKey()
    {
        // python3: pw = sha512(salt + passcode + salt); pbkdf2_hmac('sha512', pw, salt, N, 256),
        // salt = bytes(range(32)); N = 100000 with a passcode, 1 without.
        QByteArray salt;
        for (int i = 0; i < 32; ++i)
            salt.append(static_cast<char>(i));
        const QByteArray pass = QStringLiteral("pässcode ✓").toUtf8();
        const QByteArray strong = crypto::tdataPasscodeKey(salt, pass);
        QCOMPARE(strong.size(), 256);
        QCOMPARE(strong.left(32).toHex(), QByteArray("af04c37db01a7fc77d9d0c82b51deea610dcdedc8406c277ac0bbcdfe66a150b"));
        QElapsedTimer t;
        t.start();
        const QByteArray cheap = crypto::tdataPasscodeKey(salt, QByteArray());
        QVERIFY2(t.elapsed() < 50, "the no-passcode derivation must take the 1-iteration path");
        QCOMPARE(cheap.left(32).toHex(), QByteArray("7ce9b2c87b8b982b84434ca8cb61577b1fd0d9737a85e9ef5c03a5c2ae2358f3"));
        QVERIFY(crypto::tdataPasscodeKey(salt.left(31), pass).isEmpty());
    }

    void tdataLocalEncryption()
    {
        const QByteArray key = crypto::randomBytes(256);
        for (int n : {0, 1, 11, 12, 13, 28, 100}) {
            const QByteArray payload = crypto::randomBytes(n);
            const QByteArray enc = crypto::tdataEncryptLocal(payload, key);
            QCOMPARE((enc.size() - 16) % 16, 0);
            QVERIFY(enc.size() >= 32);
            // The msgKey is SHA1 of the plaintext block; decrypting checks it.
            auto dec = crypto::tdataDecryptLocal(enc, key);
            QVERIFY2(dec, qPrintable(dec ? QString() : dec.error().message));
            QCOMPARE(*dec, payload);
        }
        const QByteArray enc = crypto::tdataEncryptLocal("secret payload", key);
        QByteArray otherKey = key;
        otherKey[100] = static_cast<char>(otherKey[100] ^ 0x55);
        auto wrong = crypto::tdataDecryptLocal(enc, otherKey);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().message, QStringLiteral("checksum mismatch"));
        QVERIFY(!crypto::tdataDecryptLocal(enc.left(31), key));
        QVERIFY(!crypto::tdataDecryptLocal(enc, key.left(255)));
    }

    void oldMtprotoKdfLayout()
    {
        // The x = 8 KDF of docs/formats.md 9.4, recomputed here from SHA-1 pieces.
        QByteArray k;
        for (int i = 0; i < 256; ++i)
            k.append(static_cast<char>(i * 7));
        const QByteArray mk = QByteArray("0123456789abcdef");
        const auto kiv = crypto::oldMtprotoKdf(k, mk);
        // python3 hashlib: a = sha1(mk + k[8:40]), b = sha1(k[40:56] + mk + k[56:72]),
        // c = sha1(k[72:104] + mk), d = sha1(mk + k[104:136]);
        // key = a[:8] + b[8:20] + c[4:16], iv = a[8:20] + b[:8] + c[16:20] + d[:8].
        QCOMPARE(kiv.key.toHex(), QByteArray("b8bfddce006a47e2a17abcced57ce2832ad79921ac83c72eaa2147328fbd7a38"));
        QCOMPARE(kiv.iv.toHex(), QByteArray("ce7c4d0eacc0c377802eb1da685c4b76a653bc95ba5049e2900abfb08c0270f8"));
        QCOMPARE(kiv.key.size(), 32);
        QCOMPARE(kiv.iv.size(), 32);
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
