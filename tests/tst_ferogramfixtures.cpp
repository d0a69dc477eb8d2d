// ferogram files from tests/data: the hand-made vectors of tests/data/ferogram (make_vectors.py), and
// real-library fixtures of other formats carried into ferogram-binary.
#include "ferogramtestutil.h"
#include "format/registry.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace sd;
using namespace sdtest;
using namespace ferogramtest;

class TestFerogramFixtures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- tests/data/ferogram (make_vectors.py)
    void handMadeVectorFiles()
    {
        const QJsonObject all = QJsonDocument::fromJson(readAll(dataPath(QStringLiteral("ferogram/vectors.json")))).object();
        QVERIFY(all.size() >= 13);
        QTemporaryDir dir;
        for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
            const QString name = it.key();
            const QJsonObject e = it.value().toObject();
            const QString path = dataPath(QStringLiteral("ferogram/") + name);
            const QString formatId = e.value(QStringLiteral("format")).toString();
            QCOMPARE(detectedId(Source::fromPath(path)), formatId);
            const Format &f = *Registry::instance().find(formatId);
            auto st = f.read(Source::fromPath(path), {});
            QVERIFY2(st.ok(), qPrintable(name + QStringLiteral(": ") + (st.ok() ? QString() : st.error().message)));
            QCOMPARE(st->formatVersion, std::optional<int>(e.value(QStringLiteral("version")).toInt()));
            const Session &s = st->accounts.at(0);
            QCOMPARE(s.dcId, e.value(QStringLiteral("home")).toInt());
            if (e.contains(QStringLiteral("userId")))
                QCOMPARE(s.userId, std::optional<qint64>(e.value(QStringLiteral("userId")).toString().toLongLong()));
            const QJsonArray dcs = e.value(QStringLiteral("dcs")).toArray();
            QCOMPARE(s.dcs.size(), static_cast<size_t>(dcs.size()));
            for (int i = 0; i < dcs.size(); ++i) {
                const QJsonObject d = dcs[i].toObject();
                const DcAuth &a = s.dcs[static_cast<size_t>(i)];
                QCOMPARE(a.dcId, d.value(QStringLiteral("dc")).toInt());
                QCOMPARE(a.authKeyId(), d.value(QStringLiteral("authKeyId")).toString()); // null -> "" (no key)
                QCOMPARE(a.address, d.value(QStringLiteral("address")).toString());
                QCOMPARE(a.port, d.value(QStringLiteral("port")).toInt());
                QCOMPARE(a.ipv6, d.value(QStringLiteral("ipv6")).toBool());
                QCOMPARE(a.mediaOnly, d.value(QStringLiteral("mediaOnly")).toBool());
                if (d.value(QStringLiteral("salt")).isString())
                    QCOMPARE(a.salt, std::optional<qint64>(d.value(QStringLiteral("salt")).toString().toLongLong()));
            }
            if (e.contains(QStringLiteral("state"))) {
                const QJsonObject u = e.value(QStringLiteral("state")).toObject();
                QVERIFY(s.updateState);
                QCOMPARE(s.updateState->pts, std::optional<qint64>(u.value(QStringLiteral("pts")).toInteger()));
                QCOMPARE(s.updateState->qts, std::optional<qint64>(u.value(QStringLiteral("qts")).toInteger()));
                QCOMPARE(s.updateState->date, std::optional<qint64>(u.value(QStringLiteral("date")).toInteger()));
                QCOMPARE(s.updateState->seq, std::optional<qint64>(u.value(QStringLiteral("seq")).toInteger()));
                const QJsonObject ch = e.value(QStringLiteral("channelPts")).toObject();
                QCOMPARE(s.updateState->channelPts.size(), ch.size());
                for (auto c = ch.constBegin(); c != ch.constEnd(); ++c)
                    QCOMPARE(s.updateState->channelPts.value(c.key().toLongLong(), -1), c.value().toInteger());
                const QJsonArray peers = e.value(QStringLiteral("peers")).toArray();
                QCOMPARE(s.peers.size(), static_cast<size_t>(peers.size()));
                for (int i = 0; i < peers.size(); ++i) {
                    const QJsonObject p = peers[i].toObject();
                    const Peer &q = s.peers[static_cast<size_t>(i)];
                    QCOMPARE(q.id, p.value(QStringLiteral("id")).toString().toLongLong());
                    QCOMPARE(peerKindName(q.kind()), p.value(QStringLiteral("type")).toString());
                    QCOMPARE(q.type == PeerType::Supergroup, p.value(QStringLiteral("supergroup")).toBool());
                    if (q.kind() != PeerKind::Chat)
                        QCOMPARE(q.accessHash, std::optional<qint64>(p.value(QStringLiteral("hash")).toString().toLongLong()));
                }
            } else {
                QVERIFY(!s.updateState);
            }
            if (!e.value(QStringLiteral("rewritesIdentically")).toBool())
                continue;
            if (formatId == QLatin1String("ferogram-string")) {
                WriteOptions wo;
                wo.variant = st->variant;
                QCOMPARE(*f.encodeString(s, wo), readAll(path).trimmed());
            } else {
                const QString out = dir.filePath(name);
                QVERIFY(f.write(*st, out, {}).ok());
                QCOMPARE(readAll(out).toHex(), readAll(path).toHex());
            }
        }
    }

    // ---------------------------------------------------------------- other formats' fixtures
    void binaryCarriesOtherSessions()
    {
        // Real-library fixtures -> ferogram-binary: key, DC, peers (bare ids + kinds + hashes) and
        // the update state survive.
        QTemporaryDir dir;
        for (const QString &rel : {QStringLiteral("telethon/basic.session"), QStringLiteral("mtcute/basic.sqlite")}) {
            const Source src = Source::fromPath(dataPath(rel));
            auto f = Registry::instance().detect(src);
            QVERIFY2(f, qPrintable(rel));
            auto st = (*f)->read(src, {});
            QVERIFY(st.ok());
            const QString out = dir.filePath(QStringLiteral("x.bin"));
            WriteOptions force;
            force.force = true;
            QVERIFY(sdtest::format("ferogram-binary").write(*st, out, force).ok());
            auto back = sdtest::format("ferogram-binary").read(Source::fromPath(out), {});
            QVERIFY(back.ok());
            const Session &a = st->accounts[0], &b = back->accounts[0];
            QCOMPARE(b.dcId, a.dcId);
            QCOMPARE(b.primary()->authKeyId(), a.primary()->authKeyId());
            QCOMPARE(b.peers.size(), a.peers.size());
            for (size_t i = 0; i < a.peers.size(); ++i) {
                QCOMPARE(b.peers[i].markedId(), a.peers[i].markedId());
                if (a.peers[i].kind() != PeerKind::Chat)
                    QCOMPARE(b.peers[i].accessHash, std::optional<qint64>(a.peers[i].accessHash.value_or(0)));
            }
            if (a.updateState) {
                QCOMPARE(b.updateState->pts, a.updateState->pts);
                QCOMPARE(b.updateState->date, a.updateState->date);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestFerogramFixtures)
#include "tst_ferogramfixtures.moc"
