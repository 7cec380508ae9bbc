#include "core/transfer/journal.h"

#include "core/base/log.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace cairn::transfer {

namespace {

constexpr int kSqliteFull = 13; // SQLITE_FULL, in the low byte of Qt's native code

const char *const kCreate[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE transfers (id TEXT PRIMARY KEY, direction INTEGER NOT NULL, state INTEGER NOT NULL,"
    " label TEXT NOT NULL, tag BLOB NOT NULL, copies INTEGER NOT NULL, ttl INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, dest_dir TEXT NOT NULL, error TEXT NOT NULL,"
    " manifest BLOB NOT NULL)",
    "CREATE TABLE files (transfer_id TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, rel_path TEXT NOT NULL, local_path TEXT NOT NULL, size INTEGER NOT NULL,"
    " mtime INTEGER NOT NULL, key BLOB NOT NULL, header BLOB NOT NULL, next_chunk INTEGER NOT NULL,"
    " bytes_done INTEGER NOT NULL, cipher_state BLOB NOT NULL, hash_state BLOB NOT NULL,"
    " plain_hash BLOB NOT NULL, part_path TEXT NOT NULL, saved_path TEXT NOT NULL, done INTEGER NOT NULL,"
    " result BLOB NOT NULL, PRIMARY KEY (transfer_id, idx))",
    // Only uploads write chunks; ON DELETE CASCADE clears them with their transfer.
    "CREATE TABLE chunks (transfer_id TEXT NOT NULL REFERENCES transfers (id) ON DELETE CASCADE,"
    " file_idx INTEGER NOT NULL, chunk INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (transfer_id, file_idx, chunk)) WITHOUT ROWID",
};

// Qt binds a null QByteArray or QString as SQL NULL, which NOT NULL refuses.
QVariant blob(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QByteArray("", 0)) : QVariant(bytes);
}

QVariant secret(const crypto::SecretBytes &bytes)
{
    return QVariant(bytes.isEmpty() ? QByteArray("", 0) : bytes.view().toByteArray());
}

QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

base::Error<TransferError> failure(const QSqlError &error, const QString &what)
{
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if ((error.nativeErrorCode().toInt() & 0xff) == kSqliteFull)
        return base::fail(
            TransferError::DiskFull, QStringLiteral("cannot %1: the disk is full (%2)").arg(what, detail));
    return base::fail(TransferError::Journal, QStringLiteral("cannot %1: %2").arg(what, detail));
}

Result<QSqlQuery> run(const QSqlDatabase &db, const QString &statement, const QVariantList &binds, const QString &what)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(statement))
        return failure(q.lastError(), what);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec())
        return failure(q.lastError(), what);
    return q;
}

} // namespace

Journal::Journal()
{
    // Unique among live journals without a global counter: no two live
    // objects share an address, and the destructor removes the connection.
    m_connection = QStringLiteral("cairn.transfer.%1").arg(quintptr(this), 0, 16);
}

Journal::~Journal()
{
    m_checkpointer.reset();
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

Result<void> Journal::exec(const QString &statement, const QVariantList &binds, const QString &what)
{
    auto q = run(m_db, statement, binds, what);
    if (!q.ok())
        return q.error();
    return {};
}

Result<void> Journal::open(const QString &path)
{
    if (m_db.isValid())
        return base::fail(TransferError::InvalidState, QStringLiteral("the transfer journal is already open"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return base::fail(TransferError::Journal,
            QStringLiteral("the Qt SQLite driver (QSQLITE) is missing: install libqt6sql6-sqlite"));
    const bool fresh = !QFile::exists(path);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    m_path = path;
    if (!m_db.open())
        return base::fail(TransferError::Journal,
            QStringLiteral("cannot open the transfer journal %1: %2").arg(path, m_db.lastError().databaseText()));
    if (fresh)
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (auto r = exec(QStringLiteral("PRAGMA foreign_keys = ON"), {}, QStringLiteral("set up the journal")); !r.ok())
        return r;
    return prepareSchema(path);
}

Result<void> Journal::prepareSchema(const QString &path)
{
    const QString what = QStringLiteral("read the transfer journal %1").arg(path);
    QStringList names;
    {
        auto tables = run(m_db, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"), {}, what);
        if (!tables.ok())
            return tables.error();
        while (tables->next())
            names.append(tables->value(0).toString());
    }
    if (!names.isEmpty() && !names.contains(QLatin1String("schema_version")))
        return base::fail(TransferError::Journal,
            QStringLiteral("%1 is an SQLite database but not a transfer journal; refusing to touch it").arg(path));
    if (!names.isEmpty()) {
        auto v = run(m_db, QStringLiteral("SELECT version FROM schema_version"), {}, what);
        if (!v.ok())
            return v.error();
        const qint64 version = v->next() ? v->value(0).toLongLong() : 0;
        if (version < 1 || version > kSchemaVersion)
            return base::fail(TransferError::Journal,
                QStringLiteral("%1 has transfer journal schema %2; this Cairn reads up to %3; it is left untouched")
                    .arg(path)
                    .arg(version)
                    .arg(kSchemaVersion));
    }
    // WAL, synced only by the checkpointer's worker (see WalCheckpointer):
    // after a power cut the journal may lose its latest commits, but it
    // never runs ahead of what is on disk or in the
    // DHT (a part file is fsynced before its checkpoint is written). A lost
    // commit only means redoing a few chunks: puts are idempotent and part
    // files are cut back to the checkpoint. FULL would fsync every batch
    // for nothing.
    {
        auto mode = run(m_db, QStringLiteral("PRAGMA journal_mode = WAL"), {}, what);
        if (!mode.ok())
            return mode.error();
        if (const QString m = mode->next() ? mode->value(0).toString() : QString(); m != QLatin1String("wal"))
            qCWarning(lcTransfer) << "the transfer journal" << path << "could not switch to WAL; journal mode:" << m;
    }
    // NORMAL stays outside WAL mode; in it the checkpointer turns syncs off.
    if (auto r = exec(QStringLiteral("PRAGMA synchronous = NORMAL"), {}, what); !r.ok())
        return r;
    QString failed;
    m_checkpointer = base::WalCheckpointer::attach(path, m_connection, kCheckpointEvery, &failed);
    if (!failed.isEmpty())
        return base::fail(TransferError::Journal, QStringLiteral("cannot %1: %2").arg(what, failed));
    if (!names.isEmpty())
        return {};
    return transaction(QStringLiteral("create the transfer journal %1").arg(path), [&]() -> Result<void> {
        for (const char *statement : kCreate) {
            if (auto r = exec(QString::fromLatin1(statement), {}, what); !r.ok())
                return r;
        }
        return exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), {kSchemaVersion}, what);
    });
}

Result<void> Journal::transaction(const QString &what, const std::function<Result<void>()> &body)
{
    if (!m_db.transaction())
        return failure(m_db.lastError(), what);
    Result<void> result = body();
    if (result.ok() && !m_db.commit())
        result = failure(m_db.lastError(), what);
    if (!result.ok()) {
        m_db.rollback(); // SQLite may have rolled back already; a second one fails harmlessly
        qCWarning(lcTransfer) << result.message();
        return result;
    }
    if (m_checkpointer)
        m_checkpointer->committed();
    return result;
}

Result<QList<JournalTransfer>> Journal::transfers()
{
    auto q = run(m_db,
        QStringLiteral("SELECT id, direction, state, label, tag, copies, ttl, created_at, expires_at, dest_dir, error,"
                       " manifest FROM transfers ORDER BY created_at, id"),
        {}, QStringLiteral("read the transfer journal"));
    if (!q.ok())
        return q.error();
    QList<JournalTransfer> out;
    while (q->next()) {
        JournalTransfer t;
        t.id = q->value(0).toString();
        t.direction = q->value(1).toInt() == int(Direction::Download) ? Direction::Download : Direction::Upload;
        t.state = TransferState(qBound(0, q->value(2).toInt(), int(TransferState::Cancelled)));
        t.label = q->value(3).toString();
        t.tag = q->value(4).toByteArray();
        t.copies = q->value(5).toInt();
        t.ttl = q->value(6).toLongLong();
        t.createdAt = q->value(7).toLongLong();
        t.expiresAt = q->value(8).toLongLong();
        t.destDir = q->value(9).toString();
        t.error = q->value(10).toString();
        t.manifest = q->value(11).toByteArray();
        out.append(std::move(t));
    }
    return out;
}

Result<QList<JournalFile>> Journal::files(const QString &id)
{
    auto q = run(m_db,
        QStringLiteral("SELECT idx, rel_path, local_path, size, mtime, key, header, next_chunk, bytes_done,"
                       " cipher_state, hash_state, plain_hash, part_path, saved_path, done, result"
                       " FROM files WHERE transfer_id = ? ORDER BY idx"),
        {id}, QStringLiteral("read the files of transfer %1").arg(id));
    if (!q.ok())
        return q.error();
    QList<JournalFile> out;
    while (q->next()) {
        JournalFile f;
        f.index = q->value(0).toInt();
        f.relPath = q->value(1).toString();
        f.localPath = q->value(2).toString();
        f.size = q->value(3).toLongLong();
        f.mtime = q->value(4).toLongLong();
        f.key = q->value(5).toByteArray();
        f.header = q->value(6).toByteArray();
        f.nextChunk = q->value(7).toLongLong();
        f.bytesDone = q->value(8).toLongLong();
        f.cipherState = q->value(9).toByteArray();
        f.hashState = q->value(10).toByteArray();
        f.plainHash = q->value(11).toByteArray();
        f.partPath = q->value(12).toString();
        f.savedPath = q->value(13).toString();
        f.done = q->value(14).toInt() != 0;
        f.result = q->value(15).toByteArray();
        out.append(std::move(f));
    }
    return out;
}

Result<void> Journal::insert(const JournalTransfer &t, const QList<JournalFile> &files)
{
    const QString what = QStringLiteral("record transfer %1").arg(t.id);
    return transaction(what, [&]() -> Result<void> {
        auto r = exec(
            QStringLiteral("INSERT INTO transfers (id, direction, state, label, tag, copies, ttl, created_at,"
                           " expires_at, dest_dir, error, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {t.id, int(t.direction), int(t.state), text(t.label), blob(t.tag), t.copies, t.ttl, t.createdAt,
                t.expiresAt, text(t.destDir), text(t.error), blob(t.manifest)},
            what);
        for (const JournalFile &f : files) {
            if (!r.ok())
                break;
            r = exec(
                QStringLiteral("INSERT INTO files (transfer_id, idx, rel_path, local_path, size, mtime, key,"
                               " header, next_chunk, bytes_done, cipher_state, hash_state, plain_hash, part_path,"
                               " saved_path, done, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {t.id, f.index, text(f.relPath), text(f.localPath), f.size, f.mtime, blob(f.key), blob(f.header),
                    f.nextChunk, f.bytesDone, blob(f.cipherState), blob(f.hashState), blob(f.plainHash),
                    text(f.partPath), text(f.savedPath), f.done ? 1 : 0, blob(f.result)},
                what);
        }
        return r;
    });
}

Result<void> Journal::setState(const QString &id, TransferState state, const QString &error)
{
    return exec(QStringLiteral("UPDATE transfers SET state = ?, error = ? WHERE id = ?"), {int(state), text(error), id},
        QStringLiteral("record the state of transfer %1").arg(id));
}

Result<void> Journal::setManifest(const QString &id, const QByteArray &manifest)
{
    return exec(QStringLiteral("UPDATE transfers SET manifest = ? WHERE id = ?"), {blob(manifest), id},
        QStringLiteral("record the manifest of transfer %1").arg(id));
}

Result<void> Journal::remove(const QString &id)
{
    return exec(QStringLiteral("DELETE FROM transfers WHERE id = ?"), {id},
        QStringLiteral("remove transfer %1 from the journal").arg(id));
}

Result<void> Journal::startFile(
    const QString &id, int index, const QByteArray &key, const QByteArray &header, const FileCheckpoint &at)
{
    return exec(QStringLiteral("UPDATE files SET key = ?, header = ?, next_chunk = ?, bytes_done = ?, cipher_state = ?,"
                               " hash_state = ?, plain_hash = ?, done = 0 WHERE transfer_id = ? AND idx = ?"),
        {blob(key), blob(header), at.nextChunk, at.bytesDone, secret(at.cipherState), secret(at.hashState),
            blob(at.plainHash), id, index},
        QStringLiteral("record the start of a file of transfer %1").arg(id));
}

Result<void> Journal::checkpoint(const QString &id, int index, const FileCheckpoint &at)
{
    return exec(QStringLiteral("UPDATE files SET next_chunk = ?, bytes_done = ?, cipher_state = ?, hash_state = ?,"
                               " plain_hash = ? WHERE transfer_id = ? AND idx = ?"),
        {at.nextChunk, at.bytesDone, secret(at.cipherState), secret(at.hashState), blob(at.plainHash), id, index},
        QStringLiteral("record the progress of transfer %1").arg(id));
}

Result<void> Journal::setPartPath(const QString &id, int index, const QString &partPath)
{
    return exec(QStringLiteral("UPDATE files SET part_path = ? WHERE transfer_id = ? AND idx = ?"),
        {text(partPath), id, index}, QStringLiteral("record a part file of transfer %1").arg(id));
}

Result<void> Journal::setSavedPath(const QString &id, int index, const QString &savedPath)
{
    return exec(QStringLiteral("UPDATE files SET saved_path = ? WHERE transfer_id = ? AND idx = ?"),
        {text(savedPath), id, index}, QStringLiteral("record a saved file of transfer %1").arg(id));
}

Result<void> Journal::finishFile(const QString &id, int index, const QByteArray &result)
{
    // A finished file needs neither its key's cipher state nor its hash state.
    return exec(QStringLiteral("UPDATE files SET done = 1, result = ?, cipher_state = x'', hash_state = x''"
                               " WHERE transfer_id = ? AND idx = ?"),
        {blob(result), id, index}, QStringLiteral("record a finished file of transfer %1").arg(id));
}

Result<void> Journal::addChunks(const QString &id, int index, const QList<QPair<qint64, QByteArray>> &chunks)
{
    const QString what = QStringLiteral("record stored chunks of transfer %1").arg(id);
    QSqlQuery q(m_db);
    if (!q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO chunks (transfer_id, file_idx, chunk, hash) VALUES (?, ?, ?, ?)")))
        return failure(q.lastError(), what);
    for (const auto &[chunk, hash] : chunks) {
        q.addBindValue(id);
        q.addBindValue(index);
        q.addBindValue(chunk);
        q.addBindValue(blob(hash));
        if (!q.exec())
            return failure(q.lastError(), what);
    }
    return {};
}

Result<QList<QPair<qint64, QByteArray>>> Journal::chunks(const QString &id, int index)
{
    auto q = run(m_db,
        QStringLiteral("SELECT chunk, hash FROM chunks WHERE transfer_id = ? AND file_idx = ? ORDER BY chunk"),
        {id, index}, QStringLiteral("read the stored chunks of transfer %1").arg(id));
    if (!q.ok())
        return q.error();
    QList<QPair<qint64, QByteArray>> out;
    while (q->next())
        out.append({q->value(0).toLongLong(), q->value(1).toByteArray()});
    return out;
}

Result<void> Journal::dropChunks(const QString &id, int index)
{
    if (index < 0)
        return exec(QStringLiteral("DELETE FROM chunks WHERE transfer_id = ?"), {id},
            QStringLiteral("forget the chunks of transfer %1").arg(id));
    return exec(QStringLiteral("DELETE FROM chunks WHERE transfer_id = ? AND file_idx = ?"), {id, index},
        QStringLiteral("forget the chunks of transfer %1").arg(id));
}

} // namespace cairn::transfer
