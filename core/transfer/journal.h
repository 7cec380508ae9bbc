#pragma once

#include "core/base/qt/walcheckpointer.h"
#include "core/transfer/transferinfo.h"

#include <QSqlDatabase>

#include <functional>
#include <memory>

namespace cairn::transfer {

/// One transfer as the journal keeps it.
struct JournalTransfer {
    QString id;
    Direction direction = Direction::Upload;
    TransferState state = TransferState::Running;
    QString label;
    QByteArray tag;
    int copies = 0;
    qint64 ttl = 0;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    QString destDir; // downloads
    QString error;
    QByteArray manifest; // downloads: what to fetch; uploads: the result once done
};

/// One file of a transfer and its checkpoint. For an upload `localPath` is
/// the source; for a download it is where the file goes (its top folder
/// already chosen), `partPath` the .cairn-part file being written and
/// `savedPath` the final name once chosen.
struct JournalFile {
    int index = 0;
    QString relPath;
    QString localPath;
    qint64 size = 0;
    qint64 mtime = 0; // uploads: the source's modification time (ms)
    QByteArray key; // secretstream key (the journal is in the private profile)
    QByteArray header;
    qint64 nextChunk = 0; // checkpoint: chunks before it are done
    qint64 bytesDone = 0; // downloads: plaintext bytes written up to the checkpoint
    QByteArray cipherState; // encryptor/decryptor state at the checkpoint
    QByteArray hashState; // plaintext hash state at the checkpoint
    QByteArray plainHash; // uploads: set once the last chunk was hashed
    QString partPath;
    QString savedPath;
    bool done = false;
    QByteArray result; // uploads: the file's encoded StreamRef once done
};

/// The checkpoint part of a JournalFile, written in batches: the states
/// after chunk nextChunk - 1 (empty once the stream is finished).
struct FileCheckpoint {
    qint64 nextChunk = 0;
    qint64 bytesDone = 0;
    crypto::SecretBytes cipherState;
    crypto::SecretBytes hashState;
    QByteArray plainHash; // uploads: set once the last chunk was hashed
};

/// The SQLite journal of transfers (QSQLITE, WAL). It lives in the profile
/// directory, which is private (0700), and is itself 0600: it holds the
/// secretstream keys and cipher states of unfinished transfers, which is
/// acceptable there, as the keystore's own secrets are kept there too.
/// One connection per instance; every write is one transaction.
class Journal {
public:
    static constexpr int kSchemaVersion = 1;

    Journal();
    ~Journal();
    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    Result<void> open(const QString &path);
    bool isOpen() const { return m_db.isOpen(); }

    /// Runs `body` in one transaction (committed if it succeeds).
    Result<void> transaction(const QString &what, const std::function<Result<void>()> &body);

    Result<QList<JournalTransfer>> transfers();
    Result<QList<JournalFile>> files(const QString &id);
    Result<void> insert(const JournalTransfer &transfer, const QList<JournalFile> &files);
    Result<void> setState(const QString &id, TransferState state, const QString &error = {});
    Result<void> setManifest(const QString &id, const QByteArray &manifest);
    Result<void> remove(const QString &id);

    /// A file (re)started: its key, header and first checkpoint.
    Result<void> startFile(
        const QString &id, int index, const QByteArray &key, const QByteArray &header, const FileCheckpoint &at);
    Result<void> checkpoint(const QString &id, int index, const FileCheckpoint &at);
    Result<void> setPartPath(const QString &id, int index, const QString &partPath);
    Result<void> setSavedPath(const QString &id, int index, const QString &savedPath);
    Result<void> finishFile(const QString &id, int index, const QByteArray &result);

    /// Uploads: chunks confirmed stored, by index, so none is sent twice.
    Result<void> addChunks(const QString &id, int index, const QList<QPair<qint64, QByteArray>> &chunks);
    Result<QList<QPair<qint64, QByteArray>>> chunks(const QString &id, int index);
    Result<void> dropChunks(const QString &id, int index = -1);

private:
    Result<void> exec(const QString &statement, const QVariantList &binds, const QString &what);
    Result<void> prepareSchema(const QString &path);
    /// Checkpoints run on a worker thread every kCheckpointEvery commits:
    /// done inside a commit, as SQLite does by default, they stalled the
    /// event loop for tens of milliseconds during a transfer.
    static constexpr int kCheckpointEvery = 32;

    QString m_connection;
    QString m_path;
    QSqlDatabase m_db;
    std::unique_ptr<base::WalCheckpointer> m_checkpointer;
};

} // namespace cairn::transfer
