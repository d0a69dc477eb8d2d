// The lazy peer model and the other item models: QAbstractItemModelTester (fetchMore on), lazy
// paging over a generated 100,000-row Telethon file, SQL search == in-memory search semantics,
// the generation token dropping stale results, validation and undo of edits.
#include "accountmodels.h"
#include "editcommand.h"
#include "peermodel.h"
#include "storelistmodel.h"
#include "edit/workspace.h"
#include "format/registry.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QUndoStack>
#include <QtTest>

using namespace sd;

namespace {

std::vector<Peer> syntheticPeers(int n)
{
    std::vector<Peer> out;
    for (int i = 1; i <= n; ++i) {
        Peer p;
        p.id = 1000 + i;
        p.type = i % 7 == 0 ? PeerType::Channel : i % 11 == 0 ? PeerType::Chat : PeerType::User;
        p.accessHash = (i % 2 ? -1 : 1) * (Q_INT64_C(0x7000000000000000) + i);
        if (i % 3)
            p.usernames << QStringLiteral("name%1").arg(i);
        p.name = QStringLiteral("Person %1").arg(i);
        p.updated = 1700000000 + i;
        out.push_back(p);
    }
    return out;
}

PeerLoader::Factory memoryFactory(std::vector<Peer> peers)
{
    auto shared = std::make_shared<std::vector<Peer>>(std::move(peers));
    return [shared]() -> Result<std::unique_ptr<PeerTable>> {
        std::unique_ptr<PeerTable> t = std::make_unique<MemoryPeerTable>(*shared);
        return t;
    };
}

// A table whose queries take a while, so requests of an old generation are still in flight when
// the filter changes.
class SlowTable : public MemoryPeerTable {
public:
    using MemoryPeerTable::MemoryPeerTable;
    Result<qint64> count(const PeerPageQuery &q) override
    {
        QThread::msleep(150);
        return MemoryPeerTable::count(q);
    }
    Result<std::vector<Peer>> fetch(const PeerPageQuery &q, qint64 offset, qint64 limit) override
    {
        QThread::msleep(60);
        return MemoryPeerTable::fetch(q, offset, limit);
    }
};

bool waitReady(PeerModel &m, int row = 0, int timeoutMs = 20000)
{
    return QTest::qWaitFor([&] { return m.total() >= 0 && (m.total() == 0 || m.isRowLoaded(row)); }, timeoutMs);
}

Store sampleStore()
{
    Store st;
    st.formatId = QStringLiteral("sessiondesk-json");
    Session s;
    s.dcId = 2;
    s.userId = 4242;
    s.apiId = 12345;
    DcAuth a;
    a.dcId = 2;
    a.address = QStringLiteral("149.154.167.51");
    a.port = 443;
    QByteArray key(256, '\0');
    for (int i = 0; i < 256; ++i)
        key[i] = char(i);
    a.authKey = SecretBytes::fromByteArray(key);
    s.dcs.push_back(a);
    DcAuth b = a;
    b.dcId = 4;
    b.address = QStringLiteral("149.154.167.91");
    s.dcs.push_back(b);
    UpdateState u;
    u.pts = 10;
    u.qts = 2;
    u.date = 1700000000;
    u.seq = 5;
    u.channelPts.insert(777, 99);
    s.updateState = u;
    s.peers = syntheticPeers(300);
    Conversation c;
    c.chatId = 1;
    c.userId = 2;
    c.name = QStringLiteral("conv");
    c.step = QStringLiteral("start");
    s.conversations.push_back(c);
    st.accounts.push_back(s);
    return st;
}

std::unique_ptr<Document> sampleDocument()
{
    return Document::fromStore(Source::fromString("synthetic", QStringLiteral("-")),
                               Registry::instance().find(QStringLiteral("sessiondesk-json")), sampleStore());
}

} // namespace

class TestPeerModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void testerOverMemoryTable();
    void generationTokenDropsStaleResults();
    void cacheIsBounded();
    void wrongHintIsCorrected();
    void lazyPagingGenerated100k();
    void otherModelsPassTester();
    void editsValidateAndUndo();
    void indexedModelMatchesSql();
};

void TestPeerModel::testerOverMemoryTable()
{
    const auto peers = syntheticPeers(5000);
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(true);
    model.sort(PeerModel::MarkedId, Qt::AscendingOrder);
    model.setSource(memoryFactory(peers));
    QVERIFY(waitReady(model));
    QCOMPARE(model.total(), qint64(5000));
    QCOMPARE(model.rowCount(), 5000);
    // Marked id ascending: channels (very negative marked ids) come first.
    QCOMPARE(model.data(model.index(0, PeerModel::Type)).toString(), QStringLiteral("channel"));

    model.setSearch(QStringLiteral("name12"));
    QVERIFY(waitReady(model));
    PeerQuery q;
    q.search = QStringLiteral("name12");
    const auto expected = std::count_if(peers.begin(), peers.end(), [&q](const Peer &p) { return q.matches(p); });
    QVERIFY(expected > 0);
    QCOMPARE(model.total(), qint64(expected));
    for (int r = 0; r < model.rowCount(); ++r) {
        QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(r) || (model.data(model.index(r, sd::PeerModel::MarkedId)), false); }, 5000));
        QVERIFY(model.data(model.index(r, PeerModel::Username)).toString().contains(QStringLiteral("name12")));
    }

    model.setSearch(QString());
    model.setKindFilter(PeerKind::Channel);
    QVERIFY(waitReady(model));
    QCOMPARE(model.total(), qint64(5000 / 7));

    model.setKindFilter(std::nullopt);
    model.sort(PeerModel::Updated, Qt::DescendingOrder);
    QVERIFY(waitReady(model));
    QCOMPARE(model.data(model.index(0, PeerModel::Updated), PeerModel::SortKeyRole).toLongLong(), qint64(1700000000 + 5000));
}

void TestPeerModel::generationTokenDropsStaleResults()
{
    auto peers = std::make_shared<std::vector<Peer>>(syntheticPeers(2000));
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(true);
    model.setSource([peers]() -> Result<std::unique_ptr<PeerTable>> {
        std::unique_ptr<PeerTable> t = std::make_unique<SlowTable>(*peers);
        return t;
    });
    const quint64 first = model.generation();
    // The worker is now inside the slow count of the first generation; change the filter.
    QTest::qWait(30);
    model.setSearch(QStringLiteral("Person 19"));
    QVERIFY(model.generation() > first);
    QVERIFY(waitReady(model));
    // The first generation's count arrived after the change and was dropped, not shown.
    QVERIFY2(model.staleResultsDropped() >= 1, "a stale result should have been dropped");
    PeerQuery q;
    q.search = QStringLiteral("Person 19");
    const auto expected = std::count_if(peers->begin(), peers->end(), [&q](const Peer &p) { return q.matches(p); });
    QCOMPARE(model.total(), qint64(expected));
    QVERIFY(model.data(model.index(0, PeerModel::Name)).toString().contains(QStringLiteral("Person 19")));
}

void TestPeerModel::cacheIsBounded()
{
    PeerModel model;
    model.setChunkSize(16);
    model.setMaxCachedChunks(4);
    model.setSource(memoryFactory(syntheticPeers(1000)));
    QVERIFY(waitReady(model));
    for (int r = 0; r < 1000; r += 16) {
        (void)model.data(model.index(r, sd::PeerModel::MarkedId));
        QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(r); }, 5000));
    }
    QVERIFY(model.cachedChunks() <= 4);
    QVERIFY(!model.isRowLoaded(0)); // evicted, reloaded on demand
    (void)model.data(model.index(0, 0));
    QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(0); }, 5000));
}

void TestPeerModel::wrongHintIsCorrected()
{
    // The reader's counts make rows show before the count query; a wrong hint is corrected.
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(true);
    model.sort(PeerModel::MarkedId, Qt::AscendingOrder);
    model.setSource(memoryFactory(syntheticPeers(700)), [](const PeerQuery &) { return std::optional<qint64>(900); });
    QCOMPARE(model.total(), qint64(900)); // at once, before any query ran
    QVERIFY(QTest::qWaitFor([&] { return model.total() == 700; }, 10000));
    QVERIFY(waitReady(model));
    const int last = model.rowCount() - 1;
    (void)model.data(model.index(last, sd::PeerModel::MarkedId));
    QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(last); }, 5000));
    const auto peers = syntheticPeers(700);
    const auto maxIt = std::max_element(peers.begin(), peers.end(), [](const Peer &a, const Peer &b) { return a.markedId() < b.markedId(); });
    QCOMPARE(model.peerAt(last)->markedId(), maxIt->markedId()); // largest marked id, read from the end
    QCOMPARE(model.peerAt(0)->type, PeerType::Channel);
}

void TestPeerModel::lazyPagingGenerated100k()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("big.session"));
    const int rc = QProcess::execute(QStringLiteral("python3"),
        {sdtest::sourcePath(QStringLiteral("bench/gen_telethon.py")), file, QStringLiteral("--entities"), QStringLiteral("100000")});
    if (rc != 0)
        QSKIP("python3 could not run bench/gen_telethon.py");
    const Format *f = Registry::instance().find(QStringLiteral("telethon-sqlite"));
    QVERIFY(f);
    auto doc = Document::open(Source::fromPath(file));
    QVERIFY2(doc.ok(), doc.ok() ? "" : qPrintable(doc.error().message));
    const qint64 expectedTotal = (*doc)->peerTotal(0);
    QVERIFY(expectedTotal >= 100000);

    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(true);
    QElapsedTimer t;
    t.start();
    model.setDocument(doc->get(), 0, nullptr);
    QVERIFY(waitReady(model));
    qInfo("100k rows: first rows after %lld ms", static_cast<long long>(t.elapsed()));
    QCOMPARE(model.total(), expectedTotal);
    // Lazy: only what was asked for is in memory.
    QVERIFY(model.cachedChunks() <= 2);
    QVERIFY(!model.isRowLoaded(50000));
    // Ascending marked ids across a chunk boundary.
    const int cs = static_cast<int>(model.chunkSize());
    (void)model.data(model.index(cs, sd::PeerModel::MarkedId));
    QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(cs); }, 10000));
    QVERIFY(model.peerAt(cs - 1)->markedId() < model.peerAt(cs)->markedId());
    // Jump to the end.
    const int last = model.rowCount() - 1;
    (void)model.data(model.index(last, sd::PeerModel::MarkedId));
    QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(last); }, 10000));
    QVERIFY(model.peerAt(last)->markedId() > model.peerAt(cs)->markedId());

    // SQL search gives what the in-memory semantics (PeerQuery::matches) give.
    ReadOptions all;
    auto full = f->read(Source::fromPath(file), all);
    QVERIFY(full.ok());
    for (const QString &needle : {QStringLiteral("user4242"), QStringLiteral("Channel 9999"), QStringLiteral("-1001500012")}) {
        model.setSearch(needle);
        QVERIFY(waitReady(model));
        PeerQuery q;
        q.search = needle;
        const auto &peers = full->accounts[0].peers;
        const auto expected = std::count_if(peers.begin(), peers.end(), [&q](const Peer &p) { return q.matches(p); });
        QVERIFY2(expected > 0, qPrintable(needle));
        QCOMPARE(model.total(), qint64(expected));
    }
}

void TestPeerModel::otherModelsPassTester()
{
    Workspace ws;
    StoreListModel stores(&ws);
    QAbstractItemModelTester storeTester(&stores, QAbstractItemModelTester::FailureReportingMode::QtTest);
    storeTester.setUseFetchMore(true);
    Document *doc = ws.at(ws.add(sampleDocument()));
    QCOMPARE(stores.rowCount(), 1);
    QCOMPARE(stores.rowCount(stores.documentIndex(0)), 1);
    QVERIFY(stores.data(stores.accountIndex(0, 0)).toString().contains(QStringLiteral("4242")));

    QUndoStack stack;
    SessionInfoModel info;
    DcAuthModel dcs;
    UpdateStateModel upd;
    ConversationModel conv;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel *m : std::initializer_list<QAbstractItemModel *>{&info, &dcs, &upd, &conv}) {
        testers.push_back(std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
        testers.back()->setUseFetchMore(true);
    }
    info.setDocument(doc, 0, &stack);
    dcs.setDocument(doc, 0, &stack);
    upd.setDocument(doc, 0, &stack);
    conv.setDocument(doc, 0, &stack);
    QCOMPARE(dcs.rowCount(), 2);
    // auth_key_id of bytes 0..255 (docs/formats.md 0.1 test vector); the key itself is never a cell.
    QCOMPARE(dcs.data(dcs.index(0, DcAuthModel::AuthKeyId)).toString(), QStringLiteral("32d1586ea457dfc8"));
    for (int c = 0; c < dcs.columnCount(); ++c)
        QVERIFY(!dcs.data(dcs.index(0, c)).toString().contains(QStringLiteral("000102030405")));
    QCOMPARE(info.data(info.index(SessionInfoModel::AuthKeyId, SessionInfoModel::Value)).toString(), QStringLiteral("32d1586ea457dfc8"));
    QCOMPARE(upd.rowCount(), UpdateStateModel::FirstChannelRow + 1); // pts, qts, date, seq and one channel
    QCOMPARE(upd.data(upd.index(UpdateStateModel::FirstChannelRow, UpdateStateModel::Value)).toString(), QStringLiteral("99"));
    QCOMPARE(conv.rowCount(), 1);

    // Edits through the models keep the testers happy (reset/dataChanged) and reach the document.
    QVERIFY(upd.setData(upd.index(UpdateStateModel::Pts, UpdateStateModel::Value), QStringLiteral("11")));
    QCOMPARE(doc->account(0)->updateState->pts, std::optional<qint64>(11));
    QVERIFY(info.setData(info.index(SessionInfoModel::UserId, SessionInfoModel::Value), QStringLiteral("5000000001")));
    QCOMPARE(doc->account(0)->userId, std::optional<qint64>(5000000001));
    QVERIFY(stores.data(stores.accountIndex(0, 0)).toString().contains(QStringLiteral("5000000001")));
    doc->setModified(true);
    QVERIFY(stores.data(stores.documentIndex(0)).toString().endsWith(QLatin1String("*")));
    ws.remove(0);
    QCOMPARE(stores.rowCount(), 0);
}

void TestPeerModel::editsValidateAndUndo()
{
    auto doc = sampleDocument();
    QUndoStack stack;
    DcAuthModel dcs;
    dcs.setDocument(doc.get(), 0, &stack);
    QSignalSpy rejected(&dcs, &AccountModel::editRejected);
    QVERIFY(!dcs.setData(dcs.index(0, DcAuthModel::Dc), QStringLiteral("9")));
    QVERIFY(!dcs.setData(dcs.index(0, DcAuthModel::Dc), QStringLiteral("abc")));
    QVERIFY(!dcs.setData(dcs.index(0, DcAuthModel::Port), QStringLiteral("70000")));
    QCOMPARE(rejected.count(), 3);
    QCOMPARE(stack.count(), 0);
    QVERIFY(dcs.setData(dcs.index(0, DcAuthModel::Dc), QStringLiteral("10002"))); // test DC
    QVERIFY(dcs.setData(dcs.index(0, DcAuthModel::Dc), QStringLiteral("4")));
    QCOMPARE(doc->account(0)->dcs[0].dcId, 4);
    stack.undo();
    QCOMPARE(doc->account(0)->dcs[0].dcId, 10002);
    stack.undo();
    QCOMPARE(doc->account(0)->dcs[0].dcId, 2);
    stack.redo();
    QCOMPARE(doc->account(0)->dcs[0].dcId, 10002);

    SessionInfoModel info;
    info.setDocument(doc.get(), 0, &stack);
    QVERIFY(!info.setData(info.index(SessionInfoModel::UserId, SessionInfoModel::Value), QStringLiteral("-5")));
    QVERIFY(!info.setData(info.index(SessionInfoModel::UserId, SessionInfoModel::Value), QStringLiteral("99999999999999999999"))); // > int64
    QVERIFY(!info.setData(info.index(SessionInfoModel::ApiId, SessionInfoModel::Value), QStringLiteral("4294967296")));
    QVERIFY(!info.setData(info.index(SessionInfoModel::Format, SessionInfoModel::Value), QStringLiteral("x"))); // read-only row

    // Peer edits: signed 64-bit access hashes, overlaid until saved, undoable.
    PeerModel peers;
    QAbstractItemModelTester tester(&peers, QAbstractItemModelTester::FailureReportingMode::QtTest);
    peers.setDocument(doc.get(), 0, &stack);
    QVERIFY(waitReady(peers));
    const QModelIndex hash = peers.index(0, PeerModel::AccessHash);
    const QString before = peers.data(hash).toString();
    const qint64 id = peers.data(hash, PeerModel::MarkedIdRole).toLongLong();
    QVERIFY(!peers.setData(hash, QStringLiteral("9223372036854775808"))); // INT64_MAX + 1
    QVERIFY(!peers.setData(hash, QStringLiteral("12ab")));
    QVERIFY(peers.setData(hash, QStringLiteral("-9223372036854775808")));
    QCOMPARE(peers.data(hash).toString(), QStringLiteral("-9223372036854775808"));
    QVERIFY(doc->peerEdit(0, id));
    QCOMPARE(*doc->peerEdit(0, id)->accessHash, std::numeric_limits<qint64>::min());
    stack.undo();
    QCOMPARE(peers.data(hash).toString(), before);
    QVERIFY(!doc->peerEdit(0, id));
}

// Issue 19: once the background index is ready, the model shows the rows and order SQL shows
// (search, kind, sort both ways), and a search matches an edited peer on its new values.
void TestPeerModel::indexedModelMatchesSql()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("idx.session"));
    const int rc = QProcess::execute(QStringLiteral("python3"),
        {sdtest::sourcePath(QStringLiteral("bench/gen_telethon.py")), file, QStringLiteral("--entities"), QStringLiteral("3000")});
    if (rc != 0)
        QSKIP("python3 could not run bench/gen_telethon.py");
    const QByteArray before = sdtest::readAll(file);
    auto doc = Document::open(Source::fromPath(file));
    QVERIFY2(doc.ok(), doc.ok() ? "" : qPrintable(doc.error().message));
    PeerModel indexed, sql;
    sql.setIndexEnabled(false);
    indexed.setDocument(doc->get(), 0, nullptr);
    sql.setDocument(doc->get(), 0, nullptr);
    QVERIFY(waitReady(indexed));
    QVERIFY(waitReady(sql));
    QVERIFY(QTest::qWaitFor([&] { return indexed.indexReady(); }, 20000));
    QVERIFY(!sql.indexReady());
    QVERIFY(indexed.searchDebounceMs() < sql.searchDebounceMs());
    auto rowsOf = [](PeerModel &m) {
        std::vector<qint64> out;
        for (int r = 0; r < m.total(); ++r) {
            (void)m.data(m.index(r, sd::PeerModel::MarkedId));
            if (!QTest::qWaitFor([&] { return m.isRowLoaded(r); }, 10000))
                return std::vector<qint64>{};
            out.push_back(m.peerAt(r)->markedId());
        }
        return out;
    };
    struct Case {
        QString search;
        std::optional<PeerKind> kind;
        int column;
        Qt::SortOrder order;
    };
    const Case cases[] = {{QStringLiteral("USER1"), std::nullopt, PeerModel::Name, Qt::DescendingOrder},
                          {QStringLiteral("-100150000"), std::nullopt, PeerModel::MarkedId, Qt::DescendingOrder},
                          {QStringLiteral("7900"), PeerKind::User, PeerModel::Phone, Qt::AscendingOrder},
                          {QStringLiteral("group 1"), PeerKind::Chat, PeerModel::Updated, Qt::DescendingOrder},
                          {QString(), PeerKind::Channel, PeerModel::AccessHash, Qt::AscendingOrder},
                          {QStringLiteral("2"), std::nullopt, PeerModel::Type, Qt::DescendingOrder},
                          {QStringLiteral("ser2"), std::nullopt, PeerModel::Username, Qt::AscendingOrder}};
    for (const Case &c : cases) {
        for (PeerModel *m : {&indexed, &sql}) {
            m->setSearch(c.search);
            m->setKindFilter(c.kind);
            m->sort(c.column, c.order);
            QVERIFY(waitReady(*m));
        }
        QCOMPARE(indexed.total(), sql.total());
        QVERIFY2(indexed.total() > 0, qPrintable(c.search));
        QCOMPARE(rowsOf(indexed), rowsOf(sql));
    }

    // An edit: the indexed search finds the peer by its new name, no longer by its old one.
    for (PeerModel *m : {&indexed, &sql}) {
        m->setKindFilter(std::nullopt);
        m->sort(PeerModel::MarkedId, Qt::AscendingOrder);
        m->setSearch(QString());
        QVERIFY(waitReady(*m));
    }
    const Peer first = *indexed.peerAt(0);
    Peer edited = first;
    edited.name = QStringLiteral("Quokka Renamed");
    QVERIFY((*doc)->setPeer(0, first.markedId(), edited).ok());
    indexed.setSearch(QStringLiteral("quokka"));
    QVERIFY(waitReady(indexed));
    QCOMPARE(indexed.total(), qint64(1));
    QCOMPARE(indexed.peerAt(0)->markedId(), first.markedId());
    QCOMPARE(indexed.peerAt(0)->name, edited.name);
    indexed.setSearch(*first.name);
    QVERIFY(waitReady(indexed));
    const auto withOld = rowsOf(indexed);
    QVERIFY(std::find(withOld.begin(), withOld.end(), first.markedId()) == withOld.end());
    // A deleted peer still shows (struck through) as it does with SQL.
    QVERIFY((*doc)->deletePeers(0, {first.markedId()}).ok());
    indexed.setSearch(QStringLiteral("quokka"));
    QVERIFY(waitReady(indexed));
    QCOMPARE(indexed.total(), qint64(1));
    QVERIFY(indexed.data(indexed.index(0, 0), PeerModel::DeletedRole).toBool());
    // The file was only read.
    QCOMPARE(sdtest::readAll(file), before);
}

QTEST_MAIN(TestPeerModel)
#include "tst_peermodel.moc"
