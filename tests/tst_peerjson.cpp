// peers --json writes each peer with appendPeerJsonCompact: byte for byte what
// QJsonDocument(peerJson(peer)).toJson(Compact) writes, for ordinary and odd peers alike.
#include "report/json.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

namespace {

QByteArray viaQt(const sd::Peer &p) { return QJsonDocument(sd::peerJson(p)).toJson(QJsonDocument::Compact); }

QByteArray direct(const sd::Peer &p)
{
    QByteArray out = "prefix,";
    sd::appendPeerJsonCompact(out, p);
    return out.mid(7);
}

} // namespace

class TestPeerJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameBytesAsQJsonDocument()
    {
        const QList<std::optional<QString>> texts = {
            std::nullopt, QString(), QStringLiteral("alice"), QStringLiteral("User 42"), QStringLiteral("79001234567"),
            QStringLiteral("Zoë Ünïcödé"), QStringLiteral("日本語の名前"), QStringLiteral("emoji \U0001F600 pair"),
            QStringLiteral("quote \" inside"), QStringLiteral("back\\slash"), QStringLiteral("tab\there"), QStringLiteral("line\nbreak"),
            QStringLiteral("del\x7f"), QString(QChar(0xd800)) + QStringLiteral("lone"), QStringLiteral("slash / ok"),
            QStringLiteral("\u2028 separator"), QStringLiteral("nul") + QChar(0) + QStringLiteral("inside")};
        const QList<std::optional<qint64>> ints = {std::nullopt, 0, 1, -1, std::numeric_limits<qint64>::max(),
                                                  std::numeric_limits<qint64>::min(), 1700000000, -4242};
        const QList<sd::PeerType> types = {sd::PeerType::User, sd::PeerType::Bot, sd::PeerType::Chat, sd::PeerType::Channel,
                                           sd::PeerType::Supergroup};
        QRandomGenerator rnd(19);
        int n = 0;
        for (int i = 0; i < 20000; ++i) {
            sd::Peer p;
            p.type = types[rnd.bounded(types.size())];
            const qint64 ids[] = {1, 42, 777000, 1000000000000LL - 1, 5000000000LL, qint64(rnd.generate64() >> 20)};
            p.id = ids[rnd.bounded(6)];
            p.accessHash = ints[rnd.bounded(ints.size())];
            p.updated = ints[rnd.bounded(ints.size())];
            p.name = texts[rnd.bounded(texts.size())];
            p.phone = texts[rnd.bounded(texts.size())];
            const int names = rnd.bounded(4) == 0 ? 2 : rnd.bounded(2);
            for (int u = 0; u < names; ++u)
                if (auto t = texts[rnd.bounded(texts.size())]; t && !t->isEmpty())
                    p.usernames << *t;
            p.isMin = rnd.bounded(10) == 0;
            QCOMPARE(direct(p), viaQt(p));
            ++n;
        }
        QCOMPARE(n, 20000);
    }
};

QTEST_GUILESS_MAIN(TestPeerJson)
#include "tst_peerjson.moc"
