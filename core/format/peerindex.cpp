#include "peerindex.h"

#include <QMutexLocker>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <thread>

namespace sd {

namespace {

inline unsigned char fold(unsigned char c) { return static_cast<unsigned char>(static_cast<unsigned>(c - 'A') < 26u ? c | 0x20 : c); }

// Threads for a pass over n rows (the machine's cores, one for small inputs).
unsigned threadsFor(size_t n)
{
    if (n < 200000)
        return 1;
    return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

template <typename F>
void parallelRanges(size_t n, F f)
{
    const unsigned t = threadsFor(n);
    if (t <= 1) {
        f(size_t(0), n, 0u);
        return;
    }
    std::vector<std::thread> pool;
    const size_t step = (n + t - 1) / t;
    for (unsigned i = 1; i < t; ++i) {
        const size_t a = std::min(n, step * i), b = std::min(n, step * (i + 1));
        pool.emplace_back([=, &f] { f(a, b, i); });
    }
    f(0, std::min(n, step), 0u);
    for (auto &th : pool)
        th.join();
}

bool digitsOnly(const QByteArray &needle)
{
    return std::all_of(needle.begin(), needle.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

bool idContains(qint64 id, const QByteArray &needle)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, id);
    const size_t len = static_cast<size_t>(r.ptr - buf);
    return len >= static_cast<size_t>(needle.size()) && memmem(buf, len, needle.constData(), static_cast<size_t>(needle.size())) != nullptr;
}

} // namespace

void MarkedIdColumn::push_back(qint64 id)
{
    const auto high = static_cast<qint32>(id >> 32);
    if (m_high.empty() || m_high.back().second != high)
        m_high.emplace_back(m_low.size(), high);
    m_low.push_back(static_cast<quint32>(id));
}

qint64 MarkedIdColumn::at(size_t row) const
{
    auto it = std::upper_bound(m_high.begin(), m_high.end(), row, [](size_t r, const auto &e) { return r < e.first; });
    const qint32 high = std::prev(it)->second;
    return static_cast<qint64>((static_cast<quint64>(static_cast<quint32>(high)) << 32) | m_low[row]);
}

std::optional<size_t> MarkedIdColumn::find(qint64 id) const
{
    size_t lo = 0, hi = m_low.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (at(mid) < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m_low.size() && at(lo) == id)
        return lo;
    return std::nullopt;
}

PeerIndex::PeerIndex(int textFields, int intColumns)
    : m_fields(textFields), m_upper(static_cast<size_t>(std::max(textFields, 0)), false), m_ints(static_cast<size_t>(intColumns))
{
    m_sort[int(PeerSortColumn::Default)].kind = SortSource::MarkedId;
    m_sort[int(PeerSortColumn::Id)].kind = SortSource::MarkedId;
}

void PeerIndex::reserve(size_t rows, size_t arenaBytes)
{
    m_marked.reserve(rows);
    m_kind.reserve(rows);
    m_offsets.reserve(rows + 1);
    // Address space only: pages the rows never reach are never touched (not resident), and no
    // growth copies the arena while it fills.
    m_arena.reserve(arenaBytes);
    m_reservedRows = rows;
}

bool PeerIndex::append(qint64 markedId, PeerKind kind, const QByteArray *fields, const std::optional<qint64> *ints)
{
    if (!m_marked.empty() && markedId <= m_marked.back())
        return false; // not in strictly ascending marked-id order: the index would not be exact
    if (m_arena.size() > 0xF0000000u)
        return false;
    m_marked.push_back(markedId);
    m_kind.push_back(static_cast<quint8>(kind));
    for (int f = 0; f < m_fields; ++f) {
        const QByteArray &v = fields[f];
        if (v.contains('\0'))
            return false;
        // Kept ASCII-folded (what the search compares); a field that had upper-case letters
        // cannot give its unfolded order.
        for (const char c : v) {
            const unsigned char f8 = fold(static_cast<unsigned char>(c));
            m_upper[static_cast<size_t>(f)] = m_upper[static_cast<size_t>(f)] || f8 != static_cast<unsigned char>(c);
            m_arena.push_back(static_cast<char>(f8));
        }
        m_arena.push_back('\0');
    }
    m_offsets.push_back(static_cast<quint32>(m_arena.size()));
    for (size_t c = 0; c < m_ints.size(); ++c)
        if (ints[c].has_value()) {
            IntColumn &col = m_ints[c];
            const qint64 v = *ints[c];
            const size_t reserve = std::max(m_reservedRows, col.size() + 1); // once: no growth copies
            if (!col.isWide && v >= std::numeric_limits<qint32>::min() && v <= std::numeric_limits<qint32>::max()) {
                if (col.narrow.empty())
                    col.narrow.reserve(reserve);
                col.narrow.push_back(static_cast<qint32>(v));
                continue;
            }
            if (!col.isWide) {
                col.isWide = true;
                col.wide.reserve(reserve);
                col.wide.assign(col.narrow.begin(), col.narrow.end());
                std::vector<qint32>().swap(col.narrow);
            }
            col.wide.push_back(v);
        }
    return true;
}

void PeerIndex::finish()
{
    // A column sorted on its unfolded text: the folded arena gives that order only when the field
    // never had an upper-case ASCII letter.
    for (SortSource &src : m_sort)
        if (src.kind == SortSource::Text) {
            if (!src.folded && m_upper[static_cast<size_t>(src.field)])
                src.kind = SortSource::None;
            src.folded = true;
        }
    // Integer columns a sort uses: ordered now, one after the other, each column's values dropped
    // as soon as its order is made (4 bytes a row kept instead of 8).
    for (int c = 0; c < 8; ++c) {
        if (m_sort[c].kind != SortSource::Int || m_intOrders.count(c))
            continue;
        IntColumn &values = m_ints[static_cast<size_t>(m_sort[c].intColumn)];
        if (values.size() != m_marked.size()) {
            m_sort[c].kind = SortSource::None; // a column with other values: SQL sorts it
            continue;
        }
        Order order = values.isWide ? intOrder(values.wide) : intOrder(values.narrow);
        // Another sort column with the same expression shares the order.
        for (int d = c + 1; d < 8; ++d)
            if (m_sort[d].kind == SortSource::Int && m_sort[d].intColumn == m_sort[c].intColumn)
                m_intOrders.emplace(d, order);
        m_intOrders.emplace(c, std::move(order));
        values = IntColumn();
    }
    m_ints.clear();
    if (m_reservedRows < m_marked.size()) {
        m_marked.shrink_to_fit();
        m_kind.shrink_to_fit();
        m_offsets.shrink_to_fit();
    }
}

size_t PeerIndex::memoryBytes() const
{
    size_t n = m_marked.bytes() + m_kind.size() + m_offsets.size() * 4 + m_arena.size();
    for (const auto &[k, o] : m_intOrders)
        n += o.rows.size() * 4 + o.ties.size() * 8;
    QMutexLocker lock(&m_cacheMutex);
    for (const auto &[k, v] : m_cache)
        n += v.first.rows.size() * 4 + v.first.ties.size() * 8;
    return n;
}

bool PeerIndex::supports(const PeerPageQuery &q) const
{
    if (q.filter.search.contains(QChar(0)))
        return false;
    return m_sort[int(q.sort)].kind != SortSource::None;
}

const char *PeerIndex::field(quint32 row, int f, size_t *len) const
{
    const char *p = m_arena.data() + m_offsets[row];
    for (int i = 0; i < f; ++i)
        p += std::strlen(p) + 1;
    *len = std::strlen(p);
    return p;
}

bool PeerIndex::foldedContains(const char *text, size_t len, const QByteArray &needle)
{
    const size_t n = static_cast<size_t>(needle.size());
    if (n > len)
        return false;
    const auto *t = reinterpret_cast<const unsigned char *>(text);
    const auto *nd = reinterpret_cast<const unsigned char *>(needle.constData());
    for (size_t i = 0; i + n <= len; ++i) {
        size_t k = 0;
        while (k < n && fold(t[i + k]) == nd[k])
            ++k;
        if (k == n)
            return true;
    }
    return false;
}

bool PeerIndex::peerMatches(const Peer &p, const QByteArray &needle) const
{
    // The SQL rule on the edited values: the marked id as text, then the texts the format keeps.
    if (idContains(p.markedId(), needle))
        return true;
    auto has = [&needle](const QString &s) {
        const QByteArray u = s.toUtf8();
        return foldedContains(u.constData(), static_cast<size_t>(u.size()), needle);
    };
    for (const QString &u : p.usernames)
        if (has(u))
            return true;
    return (p.phone && has(*p.phone)) || (p.name && has(*p.name));
}

std::vector<quint32> PeerIndex::select(const PeerPageQuery &q, const Overlay *overlay) const
{
    const size_t n = m_marked.size();
    const QByteArray needle = needleFor(q.filter.search);
    const bool searching = !needle.isEmpty();
    const int kind = q.filter.kind ? int(*q.filter.kind) : -1;
    std::vector<quint8> hit(n, 0);
    if (!searching) {
        for (size_t i = 0; i < n; ++i)
            hit[i] = kind < 0 || m_kind[i] == kind;
    } else {
        const bool idSearch = digitsOnly(needle);
        const size_t nl = static_cast<size_t>(needle.size());
        parallelRanges(n, [&](size_t from, size_t to, unsigned) {
            // The arena is folded already: look for the needle a block of rows at a time. A NUL
            // ends every field and the needle has none, so a hit never spans two fields.
            constexpr size_t Block = 4096;
            for (size_t a = from; a < to; a += Block) {
                const size_t b = std::min(to, a + Block);
                const size_t s = m_offsets[a], e = m_offsets[b];
                const char *buf = m_arena.data() + s;
                const size_t bufLen = e - s;
                size_t pos = 0;
                while (pos + nl <= bufLen) {
                    const void *p = memmem(buf + pos, bufLen - pos, needle.constData(), nl);
                    if (!p)
                        break;
                    const size_t at = s + static_cast<size_t>(static_cast<const char *>(p) - buf);
                    const size_t row = static_cast<size_t>(std::upper_bound(m_offsets.begin() + static_cast<std::ptrdiff_t>(a),
                                                                            m_offsets.begin() + static_cast<std::ptrdiff_t>(b) + 1,
                                                                            static_cast<quint32>(at))
                                                           - m_offsets.begin())
                        - 1;
                    hit[row] = 1;
                    pos = m_offsets[row + 1] - s;
                }
                for (size_t i = a; i < b; ++i) {
                    if (!hit[i] && idSearch)
                        hit[i] = idContains(m_marked[i], needle);
                    if (kind >= 0 && m_kind[i] != kind)
                        hit[i] = 0;
                }
            }
        });
        if (overlay) {
            for (const auto &[id, peer] : *overlay) {
                const std::optional<size_t> found = m_marked.find(id);
                if (!found)
                    continue;
                const size_t row = *found;
                hit[row] = (kind < 0 || m_kind[row] == kind) && peerMatches(peer, needle);
            }
        }
    }

    std::vector<quint32> out;
    out.reserve(static_cast<size_t>(std::count(hit.begin(), hit.end(), quint8(1))));
    const SortSource &src = m_sort[int(q.sort)];
    if (src.kind == SortSource::MarkedId || src.kind == SortSource::Constant) {
        if (!q.descending || src.kind == SortSource::Constant) {
            for (size_t i = 0; i < n; ++i)
                if (hit[i])
                    out.push_back(static_cast<quint32>(i));
        } else {
            for (size_t i = n; i-- > 0;)
                if (hit[i])
                    out.push_back(static_cast<quint32>(i));
        }
        return out;
    }
    const Order &order = ascending(q.sort);
    const std::vector<quint32> &perm = order.rows;
    if (!q.descending) {
        for (quint32 r : perm)
            if (hit[r])
                out.push_back(r);
        return out;
    }
    // Descending on the column, ties still in ascending marked id: the ascending order's groups
    // of equal keys, last group first, each group in its own order.
    size_t end = perm.size();
    while (end > 0) {
        size_t begin = end - 1;
        while (begin > 0 && order.tie(begin))
            --begin;
        for (size_t i = begin; i < end; ++i)
            if (hit[perm[i]])
                out.push_back(perm[i]);
        end = begin;
    }
    return out;
}

const PeerIndex::Order &PeerIndex::ascending(PeerSortColumn column) const
{
    if (auto it = m_intOrders.find(int(column)); it != m_intOrders.end())
        return it->second;
    QMutexLocker lock(&m_cacheMutex);
    auto it = m_cache.find(int(column));
    if (it == m_cache.end()) {
        // The kind order is cheap to make again; text orders: the last column's (4 bytes a row).
        while (!m_cache.empty()) {
            auto oldest = m_cache.begin();
            for (auto j = m_cache.begin(); j != m_cache.end(); ++j)
                if (j->second.second < oldest->second.second)
                    oldest = j;
            m_cache.erase(oldest);
        }
        const SortSource &s = m_sort[int(column)];
        Order o;
        if (s.kind == SortSource::PeerKindColumn) {
            const size_t n = m_marked.size();
            o.rows.reserve(n);
            o.ties.assign((n + 63) / 64, 0);
            for (quint8 k = 0; k < 3; ++k)
                for (size_t i = 0; i < n; ++i)
                    if (m_kind[i] == k)
                        o.rows.push_back(static_cast<quint32>(i));
            for (size_t i = 1; i < n; ++i)
                if (m_kind[o.rows[i]] == m_kind[o.rows[i - 1]])
                    o.ties[i >> 6] |= quint64(1) << (i & 63);
        } else {
            o = textOrder(s);
        }
        it = m_cache.emplace(int(column), std::make_pair(std::move(o), quint64(0))).first;
    }
    it->second.second = ++m_cacheUse;
    return it->second.first;
}

template <typename Keys>
PeerIndex::Order PeerIndex::intOrder(const Keys &keys) const
{
    const size_t n = keys.size();
    Order o;
    o.rows.resize(n);
    for (size_t i = 0; i < n; ++i)
        o.rows[i] = static_cast<quint32>(i);
    // Sorted in place through the keys (no copy of the pairs: the build's peak stays low).
    std::sort(o.rows.begin(), o.rows.end(), [&keys](quint32 a, quint32 b) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); });
    o.ties.assign((n + 63) / 64, 0);
    for (size_t i = 1; i < n; ++i)
        if (keys[o.rows[i]] == keys[o.rows[i - 1]])
            o.ties[i >> 6] |= quint64(1) << (i & 63);
    return o;
}

PeerIndex::Order PeerIndex::textOrder(const SortSource &s) const
{
    // SQLite's BINARY order on (folded) bytes, a NUL ending each text (shorter first), ties in
    // row order. A most-significant-digit radix sort by 4 bytes at a time: each key is
    // (4 folded bytes from depth d) << 32 | where the field starts in the arena; sorting those as
    // plain numbers orders by the 4 bytes and, within equal bytes, by arena position = row order.
    // Runs equal on their 4 bytes that do not end the text are refined by the next 4.
    const size_t n = m_marked.size();
    const auto *arena = reinterpret_cast<const unsigned char *>(m_arena.data());
    const bool folded = s.folded;
    auto digit = [arena, folded](quint32 at, size_t depth) {
        quint32 k = 0;
        const unsigned char *p = arena + at;
        bool ended = false;
        // Bytes before depth were equal and non-NUL, so the text reaches depth.
        for (size_t j = 0; j < 4; ++j) {
            const unsigned char c = ended ? 0 : p[depth + j];
            ended = ended || c == 0;
            k = (k << 8) | (folded ? fold(c) : c);
        }
        return k;
    };
    std::vector<quint64> v(n);
    for (size_t i = 0; i < n; ++i) {
        size_t len = 0;
        const char *p = field(static_cast<quint32>(i), s.field, &len);
        const quint32 at = static_cast<quint32>(p - m_arena.data());
        v[i] = (quint64(digit(at, 0)) << 32) | at;
    }
    // One thread: a parallel merge would need another half-sized buffer (the memory target).
    std::sort(v.begin(), v.end());
    struct Run {
        size_t begin, end, depth;
    };
    std::vector<Run> todo;
    auto queueRuns = [&todo, &v](size_t begin, size_t end, size_t depth) {
        size_t a = begin;
        while (a < end) {
            size_t b = a + 1;
            const quint32 d = static_cast<quint32>(v[a] >> 32);
            while (b < end && static_cast<quint32>(v[b] >> 32) == d)
                ++b;
            // A run whose 4 bytes hold no NUL continues past them: refine it by the next 4.
            if (b - a > 1 && (d & 0xFF) != 0 && (d & 0xFF00) != 0 && (d & 0xFF0000) != 0 && (d & 0xFF000000) != 0)
                todo.push_back({a, b, depth});
            a = b;
        }
    };
    queueRuns(0, n, 0);
    while (!todo.empty()) {
        const Run r = todo.back();
        todo.pop_back();
        const size_t depth = r.depth + 4;
        for (size_t k = r.begin; k < r.end; ++k) {
            const quint32 at = static_cast<quint32>(v[k]);
            v[k] = (quint64(digit(at, depth)) << 32) | at;
        }
        std::sort(v.begin() + static_cast<std::ptrdiff_t>(r.begin), v.begin() + static_cast<std::ptrdiff_t>(r.end));
        queueRuns(r.begin, r.end, depth);
    }
    auto equalTexts = [arena, folded](quint32 a, quint32 b) {
        for (const unsigned char *x = arena + a, *y = arena + b;; ++x, ++y) {
            const unsigned char cx = folded ? fold(*x) : *x, cy = folded ? fold(*y) : *y;
            if (cx != cy)
                return false;
            if (!cx)
                return true;
        }
    };
    Order o;
    o.rows.resize(n);
    o.ties.assign((n + 63) / 64, 0);
    parallelRanges(n, [&](size_t from, size_t to, unsigned) {
        for (size_t i = from; i < to; ++i)
            o.rows[i] = static_cast<quint32>(std::upper_bound(m_offsets.begin(), m_offsets.end(), static_cast<quint32>(v[i]))
                                             - m_offsets.begin() - 1);
    });
    for (size_t i = 1; i < n; ++i)
        if (equalTexts(static_cast<quint32>(v[i - 1]), static_cast<quint32>(v[i])))
            o.ties[i >> 6] |= quint64(1) << (i & 63);
    return o;
}

} // namespace sd
