#!/usr/bin/python3
"""Makes tests/data/telethon/state.session + state.json with the REAL Telethon v1 (Debian's
python3-telethon, SQLiteSession): a random synthetic auth key (no real account), users with and
without usernames/phones, a basic group, a channel, the account update state (id 0) and a
per-channel state row (bare id, REAL date: datetime.now().timestamp()). The JSON lists what
Telethon itself reports, for tests to compare against (never hard-code keys in tests).

usage: /usr/bin/python3 tests/tools/make_telethon_fixture.py OUT_DIR
"""
import datetime
import hashlib
import json
import os
import sys

from telethon.crypto import AuthKey
from telethon.sessions import SQLiteSession
from telethon.tl import types


def main():
    out_dir = sys.argv[1]
    path = os.path.join(out_dir, 'state.session')
    if os.path.exists(path):
        sys.exit(f'{path} exists')
    key = os.urandom(256)
    utc = datetime.timezone.utc
    s = SQLiteSession(path)
    s.set_dc(5, '91.108.56.130', 443)
    s.auth_key = AuthKey(data=key)
    users = [types.User(id=7000 + i, access_hash=int.from_bytes(os.urandom(8), 'little', signed=True),
                        first_name='Name%d' % i, last_name=None if i % 2 else 'Last',
                        username=('Fx_User%d' % i) if i % 2 == 0 else None,
                        phone=('1555000%04d' % i) if i % 3 == 0 else None)
             for i in range(20)]
    chat = types.Chat(id=4242, title='Fixture group', photo=types.ChatPhotoEmpty(), participants_count=2,
                      date=datetime.datetime(2024, 1, 1, tzinfo=utc), version=1)
    channel = types.Channel(id=1555666777, title='Fixture channel', photo=types.ChatPhotoEmpty(),
                            date=datetime.datetime(2024, 1, 1, tzinfo=utc),
                            access_hash=int.from_bytes(os.urandom(8), 'little', signed=True), username='FxChannel')
    s.process_entities(types.contacts.ResolvedPeer(peer=types.PeerUser(7000), chats=[chat, channel], users=users))
    state_date = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=utc)
    s.set_update_state(0, types.updates.State(pts=5151, qts=12, date=state_date, seq=333, unread_count=0))
    s.set_update_state(1555666777, types.updates.State(pts=8080, qts=0, date=datetime.datetime.now(), seq=0, unread_count=0))
    s.save()
    s.close()

    s = SQLiteSession(path)  # what Telethon reads back
    state = s.get_update_state(0)
    sample = []
    for u in users[:4]:
        row = s.get_entity_rows_by_id(u.id)
        sample.append({'id': row[0], 'hash': row[1], 'username': u.username.lower() if u.username else None,
                       'phone': u.phone, 'name': ('%s %s' % (u.first_name, u.last_name)) if u.last_name else u.first_name})
    ch = s.get_entity_rows_by_id(-1000000000000 - channel.id)
    doc = {
        'made_by': 'telethon %s SQLiteSession' % __import__('telethon').__version__,
        'dc': s.dc_id, 'ip': s.server_address, 'port': s.port,
        'authKeyHex': key.hex(), 'authKeyId': hashlib.sha1(key).digest()[12:20].hex(),
        'users': len(users), 'chats': 1, 'channels': 1,
        'state': {'pts': state.pts, 'qts': state.qts, 'date': int(state.date.timestamp()), 'seq': state.seq},
        'channelPts': {str(i): st.pts for i, st in s.get_update_states() if i != 0},
        'sample': sample,
        'sampleChannel': {'id': channel.id, 'marked': ch[0], 'hash': ch[1], 'username': 'fxchannel'},
        'sampleChat': {'id': chat.id, 'marked': -chat.id},
    }
    s.close()
    with open(os.path.join(out_dir, 'state.json'), 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
