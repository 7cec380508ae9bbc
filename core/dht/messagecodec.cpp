// Message::encode/decode: the DHT's wire format (docs/protocol.md, "DHT
// RPC") written and read directly, without building a QCborValue tree:
// every datagram of the overlay passes through here. The output is the
// canonical CBOR that base::cbor would produce; the reader accepts only
// that (shortest heads, definite lengths, keys in ascending order) and
// checks every limit before it copies anything.
#include "core/dht/message.h"

#include <QUtf8StringView>
#include <QtEndian>

namespace cairn::dht {

namespace {

enum Key : quint64 {
    KeyKind = 0,
    KeyOp = 1,
    KeyTxid = 2,
    KeySender = 3,
    KeyTarget = 4,
    KeyKey = 5,
    KeyValue = 6,
    KeyTtl = 7,
    KeyTokenHash = 8,
    KeyToken = 9,
    KeyEntryId = 10,
    KeyOffset = 11,
    KeyMore = 12,
    KeyProbe = 13,
    KeyFound = 14,
    KeyRecord = 15,
    KeyNodes = 16,
    KeyEntries = 17,
    KeyError = 18,
    KeyErrorText = 19,
    KeyCopies = 20,
    KeyFree = 21,
    KeyCount = 22,
};
enum Major : int { Unsigned = 0, Bytes = 2, Text = 3, Array = 4, Map = 5 };

constexpr quint64 kMaxTtl = 365ULL * 24 * 3600;
constexpr quint64 kMaxOffset = 1'000'000;
constexpr qsizetype kMaxMessageBytes = Message::kMaxValue + 4096;
constexpr qsizetype kMaxEntries = Message::kListBudget / 64;

class Writer {
public:
    void head(int major, quint64 value)
    {
        const char m = char(major << 5);
        if (value < 24) {
            m_out.append(char(m | char(value)));
        } else if (value <= 0xff) {
            m_out.append(char(m | 24));
            m_out.append(char(value));
        } else if (value <= 0xffff) {
            m_out.append(char(m | 25));
            appendBig<quint16>(quint16(value));
        } else if (value <= 0xffffffffULL) {
            m_out.append(char(m | 26));
            appendBig<quint32>(quint32(value));
        } else {
            m_out.append(char(m | 27));
            appendBig<quint64>(value);
        }
    }
    void uint(quint64 v) { head(Unsigned, v); }
    void bytes(QByteArrayView b)
    {
        head(Bytes, quint64(b.size()));
        m_out.append(b);
    }
    void text(const QString &s)
    {
        const QByteArray utf8 = s.toUtf8();
        head(Text, quint64(utf8.size()));
        m_out.append(utf8);
    }
    QByteArray &out() { return m_out; }

private:
    template <typename T> void appendBig(T v)
    {
        char buf[sizeof(T)];
        qToBigEndian<T>(v, buf);
        m_out.append(buf, sizeof(T));
    }
    QByteArray m_out;
};

class Reader {
public:
    explicit Reader(QByteArrayView in) : m_p(reinterpret_cast<const uchar *>(in.data())), m_end(m_p + in.size()) { }

    bool atEnd() const { return m_p == m_end; }

    bool head(int &major, quint64 &value)
    {
        if (m_p >= m_end)
            return false;
        const uchar first = *m_p++;
        major = first >> 5;
        const int info = first & 0x1f;
        if (info < 24) {
            value = quint64(info);
            return true;
        }
        const int size = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
        if (size == 0 || m_end - m_p < size)
            return false; // indefinite lengths and reserved values are refused
        value = 0;
        for (int i = 0; i < size; ++i)
            value = (value << 8) | *m_p++;
        // Shortest form only, as the canonical encoding demands.
        const quint64 floor = size == 1 ? 24 : size == 2 ? 0x100 : size == 4 ? 0x10000 : 0x100000000ULL;
        return value >= floor;
    }
    bool expect(int wantMajor, quint64 &value)
    {
        int major = 0;
        return head(major, value) && major == wantMajor;
    }
    bool uint(quint64 &v, quint64 max) { return expect(Unsigned, v) && v <= max; }
    bool bytes(QByteArray &out, qsizetype exact, qsizetype max)
    {
        quint64 n = 0;
        if (!expect(Bytes, n) || n > quint64(m_end - m_p))
            return false;
        if ((exact >= 0 && n != quint64(exact)) || (exact < 0 && n > quint64(max)))
            return false;
        out = QByteArray(reinterpret_cast<const char *>(m_p), qsizetype(n));
        m_p += n;
        return true;
    }
    bool text(QString &out, qsizetype maxBytes)
    {
        quint64 n = 0;
        if (!expect(Text, n) || n > quint64(m_end - m_p) || n > quint64(maxBytes))
            return false;
        const QByteArrayView utf8(reinterpret_cast<const char *>(m_p), qsizetype(n));
        if (!QUtf8StringView(utf8).isValidUtf8())
            return false;
        out = QString::fromUtf8(utf8);
        m_p += n;
        return true;
    }
    bool container(int major, qsizetype &count, qsizetype max)
    {
        quint64 n = 0;
        if (!expect(major, n) || n > quint64(max))
            return false;
        count = qsizetype(n);
        return true;
    }

private:
    const uchar *m_p;
    const uchar *m_end;
};

base::Error<DhtError> malformed(const char *why)
{
    return base::fail(DhtError::Malformed, QStringLiteral("malformed DHT message: %1").arg(QLatin1String(why)));
}

} // namespace

QByteArray Message::encode() const
{
    const bool isError = kind == Kind::Error;
    const bool present[KeyCount] = {
        true,
        true,
        true,
        true,
        hasTarget,
        !key.isEmpty(),
        !value.isNull(),
        ttl > 0,
        !tokenHash.isEmpty(),
        !token.isEmpty(),
        !entryId.isEmpty(),
        offset > 0,
        more,
        probe,
        found,
        !record.owner.isEmpty(),
        !nodes.isEmpty(),
        !entries.isEmpty(),
        isError,
        isError,
        copies > 0,
        free >= 0,
    };
    int count = 0;
    for (bool p : present)
        count += p ? 1 : 0;
    Writer w;
    w.out().reserve(64 + value.size() + nodes.size() * 48 + entries.size() * 64);
    w.head(Map, quint64(count));
    char tx[8];
    qToBigEndian<quint64>(txid, tx);
    for (quint64 k = 0; k < KeyCount; ++k) {
        if (!present[k])
            continue;
        w.uint(k);
        switch (Key(k)) {
        case KeyKind:
            w.uint(quint64(kind));
            break;
        case KeyOp:
            w.uint(quint64(op));
            break;
        case KeyTxid:
            w.bytes(QByteArrayView(tx, 8));
            break;
        case KeySender:
            w.bytes(QByteArrayView(reinterpret_cast<const char *>(sender.bytes().data()), 20));
            break;
        case KeyTarget:
            w.bytes(QByteArrayView(reinterpret_cast<const char *>(target.bytes().data()), 20));
            break;
        case KeyKey:
            w.bytes(key);
            break;
        case KeyValue:
            w.bytes(value);
            break;
        case KeyTtl:
            w.uint(quint64(ttl));
            break;
        case KeyTokenHash:
            w.bytes(tokenHash);
            break;
        case KeyToken:
            w.bytes(token);
            break;
        case KeyEntryId:
            w.bytes(entryId);
            break;
        case KeyOffset:
            w.uint(quint64(offset));
            break;
        case KeyMore:
        case KeyProbe:
        case KeyFound:
            w.uint(1);
            break;
        case KeyRecord:
            w.head(Map, 5);
            w.uint(0);
            w.bytes(record.owner);
            w.uint(1);
            w.bytes(record.salt);
            w.uint(2);
            w.uint(record.sequence);
            w.uint(3);
            w.bytes(record.value);
            w.uint(4);
            w.bytes(record.signature);
            break;
        case KeyNodes:
            w.head(Array, quint64(nodes.size()));
            for (const Contact &c : nodes) {
                w.head(Array, 2);
                w.bytes(QByteArrayView(reinterpret_cast<const char *>(c.id.bytes().data()), 20));
                w.bytes(encodeEndpoint(c.endpoint));
            }
            break;
        case KeyEntries:
            w.head(Array, quint64(entries.size()));
            for (const InboxItem &e : entries) {
                w.head(Array, 3);
                w.bytes(e.data);
                w.bytes(e.tokenHash);
                w.uint(quint64(qMax<qint64>(0, e.ttl)));
            }
            break;
        case KeyError:
            w.uint(quint64(error));
            break;
        case KeyErrorText:
            w.text(errorText);
            break;
        case KeyCopies:
            w.uint(quint64(copies));
            break;
        case KeyFree:
            w.uint(quint64(free));
            break;
        case KeyCount:
            break;
        }
    }
    return std::move(w.out());
}

Result<Message> Message::decode(QByteArrayView bytes)
{
    if (bytes.size() > kMaxMessageBytes)
        return malformed("too large");
    Reader r(bytes);
    qsizetype fields = 0;
    if (!r.container(Map, fields, KeyCount))
        return malformed("not a map of known fields");
    Message m;
    bool seen[KeyCount] = {};
    qint64 lastKey = -1;
    QByteArray scratch;
    for (qsizetype i = 0; i < fields; ++i) {
        quint64 k = 0, v = 0;
        if (!r.uint(k, KeyCount - 1))
            return malformed("unknown field");
        if (qint64(k) <= lastKey)
            return malformed("fields out of order or repeated");
        lastKey = qint64(k);
        seen[k] = true;
        bool ok = true;
        switch (Key(k)) {
        case KeyKind:
            ok = r.uint(v, 2);
            m.kind = Kind(v);
            break;
        case KeyOp:
            ok = r.uint(v, quint64(Op::GetRecord)) && v >= quint64(Op::Ping);
            m.op = Op(v);
            break;
        case KeyTxid:
            ok = r.bytes(scratch, 8, 8);
            if (ok)
                m.txid = qFromBigEndian<quint64>(scratch.constData());
            break;
        case KeySender:
            ok = r.bytes(scratch, 20, 20);
            if (ok)
                m.sender = *identity::NodeId::fromBytes(scratch);
            break;
        case KeyTarget:
            ok = r.bytes(scratch, 20, 20);
            if (ok) {
                m.target = *identity::NodeId::fromBytes(scratch);
                m.hasTarget = true;
            }
            break;
        case KeyKey:
            ok = r.bytes(m.key, 32, 32);
            break;
        case KeyValue:
            ok = r.bytes(m.value, -1, kMaxValue);
            break;
        case KeyTtl:
            ok = r.uint(v, kMaxTtl) && v > 0;
            m.ttl = qint64(v);
            break;
        case KeyTokenHash:
            ok = r.bytes(m.tokenHash, 32, 32);
            break;
        case KeyToken:
            ok = r.bytes(m.token, -1, kMaxToken) && !m.token.isEmpty();
            break;
        case KeyEntryId:
            ok = r.bytes(m.entryId, 32, 32);
            break;
        case KeyOffset:
            ok = r.uint(v, kMaxOffset) && v > 0;
            m.offset = qint64(v);
            break;
        case KeyMore:
        case KeyProbe:
        case KeyFound:
            ok = r.uint(v, 1) && v == 1;
            (k == KeyMore ? m.more : k == KeyProbe ? m.probe : m.found) = true;
            break;
        case KeyRecord: {
            qsizetype n = 0;
            quint64 sub = 0, sequence = 0;
            ok = r.container(Map, n, 5) && n == 5 && r.uint(sub, 0) && r.bytes(m.record.owner, 32, 32) && r.uint(sub, 1)
                && sub == 1 && r.bytes(m.record.salt, -1, kMaxSalt) && r.uint(sub, 2) && sub == 2
                && r.uint(sequence, quint64(std::numeric_limits<qint64>::max())) && r.uint(sub, 3) && sub == 3
                && r.bytes(m.record.value, -1, kMaxValue) && r.uint(sub, 4) && sub == 4
                && r.bytes(m.record.signature, 64, 64);
            m.record.sequence = sequence;
            break;
        }
        case KeyNodes: {
            qsizetype n = 0;
            ok = r.container(Array, n, kMaxNodes) && n > 0;
            for (qsizetype j = 0; ok && j < n; ++j) {
                qsizetype pair = 0;
                QByteArray id, endpoint;
                ok = r.container(Array, pair, 2) && pair == 2 && r.bytes(id, 20, 20) && r.bytes(endpoint, -1, 18);
                const auto decoded = ok ? decodeEndpoint(endpoint) : std::nullopt;
                ok = ok && decoded.has_value();
                if (ok)
                    m.nodes.append(Contact {*identity::NodeId::fromBytes(id), *decoded});
            }
            break;
        }
        case KeyEntries: {
            qsizetype n = 0;
            ok = r.container(Array, n, kMaxEntries) && n > 0;
            for (qsizetype j = 0; ok && j < n; ++j) {
                qsizetype triple = 0;
                InboxItem e;
                quint64 ttl = 0;
                ok = r.container(Array, triple, 3) && triple == 3 && r.bytes(e.data, -1, kMaxEntry) && !e.data.isEmpty()
                    && r.bytes(e.tokenHash, 32, 32) && r.uint(ttl, kMaxTtl) && ttl > 0;
                e.ttl = qint64(ttl);
                if (ok)
                    m.entries.append(e);
            }
            break;
        }
        case KeyError:
            ok = r.uint(v, quint64(RemoteError::Internal)) && v >= 1;
            m.error = RemoteError(v);
            break;
        case KeyErrorText:
            ok = r.text(m.errorText, kMaxErrorText * 4);
            break;
        case KeyCopies:
            ok = r.uint(v, kMaxCopies) && v > 0;
            m.copies = int(v);
            break;
        case KeyFree:
            ok = r.uint(v, quint64(std::numeric_limits<qint64>::max()));
            m.free = qint64(v);
            break;
        case KeyCount:
            ok = false;
            break;
        }
        if (!ok)
            return malformed("a field has the wrong type, size or value");
    }
    if (!r.atEnd())
        return malformed("trailing bytes");
    if (!seen[KeyKind] || !seen[KeyOp] || !seen[KeyTxid] || !seen[KeySender])
        return malformed("a required field is missing");
    const bool isError = m.kind == Kind::Error;
    if (seen[KeyError] != isError || seen[KeyErrorText] != isError)
        return malformed("error fields belong to errors, and errors need them");
    return m;
}

} // namespace cairn::dht
