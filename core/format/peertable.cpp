#include "peertable.h"

#include <algorithm>

namespace sd {

bool peerLess(const Peer &a, const Peer &b, PeerSortColumn column)
{
    switch (column) {
    case PeerSortColumn::Default:
    case PeerSortColumn::Id:
        return a.markedId() < b.markedId();
    case PeerSortColumn::Type:
        return int(a.kind()) < int(b.kind());
    case PeerSortColumn::Username:
        return a.username().value_or(QString()).compare(b.username().value_or(QString()), Qt::CaseInsensitive) < 0;
    case PeerSortColumn::Phone:
        return a.phone.value_or(QString()) < b.phone.value_or(QString());
    case PeerSortColumn::Name:
        return a.name.value_or(QString()).compare(b.name.value_or(QString()), Qt::CaseInsensitive) < 0;
    case PeerSortColumn::Updated:
        return a.updated.value_or(0) < b.updated.value_or(0);
    case PeerSortColumn::AccessHash:
        return a.accessHash.value_or(0) < b.accessHash.value_or(0);
    }
    return false;
}

const std::vector<const Peer *> &MemoryPeerTable::view(const PeerPageQuery &q)
{
    const bool same = m_viewValid && m_viewFilter.kind == q.filter.kind && m_viewFilter.search == q.filter.search
        && m_viewSort == q.sort && m_viewDesc == q.descending;
    if (same)
        return m_view;
    m_view.clear();
    for (const Peer &p : m_peers)
        if (q.filter.matches(p))
            m_view.push_back(&p);
    if (q.sort != PeerSortColumn::Default || q.descending) {
        std::stable_sort(m_view.begin(), m_view.end(), [&q](const Peer *a, const Peer *b) {
            return q.descending ? peerLess(*b, *a, q.sort) : peerLess(*a, *b, q.sort);
        });
    }
    m_viewFilter = q.filter;
    m_viewSort = q.sort;
    m_viewDesc = q.descending;
    m_viewValid = true;
    return m_view;
}

Result<PeerCounts> PeerTable::countByKind()
{
    PeerCounts c;
    for (PeerKind kind : {PeerKind::User, PeerKind::Chat, PeerKind::Channel}) {
        PeerPageQuery q;
        q.filter.kind = kind;
        auto n = count(q);
        if (!n)
            return n.error();
        c.add(kind, *n);
    }
    return c;
}

Result<qint64> MemoryPeerTable::count(const PeerPageQuery &query)
{
    return static_cast<qint64>(view(query).size());
}

Result<std::vector<Peer>> MemoryPeerTable::fetch(const PeerPageQuery &query, qint64 offset, qint64 limit)
{
    const auto &v = view(query);
    std::vector<Peer> out;
    if (offset < 0 || offset >= static_cast<qint64>(v.size()))
        return out;
    const qint64 end = limit < 0 ? static_cast<qint64>(v.size()) : std::min<qint64>(static_cast<qint64>(v.size()), offset + limit);
    out.reserve(static_cast<size_t>(end - offset));
    for (qint64 i = offset; i < end; ++i)
        out.push_back(*v[static_cast<size_t>(i)]);
    return out;
}

} // namespace sd
