// Mailbox: the local SQLite store of mail and its attachment files.
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/mail/mailbox.h"
#include "tests/unit/resultchecks.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn;
using namespace cairn::mail;

namespace {

// Only the wall clock is read (for notices); nothing is scheduled.
class FixedClock final : public base::Scheduler {
public:
    base::Instant now() const override { return base::Instant(0); }
    qint64 unixTime() const override { return m_unixTime; }
    base::TimerId callAt(base::Instant, std::function<void()>) override { return 0; }
    bool cancel(base::TimerId) override { return false; }
    qint64 m_unixTime = 1'750'000'000;
};

QByteArray idFromHex(const char *hex)
{
    return QByteArray::fromHex(hex);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Runs one statement on the database file outside the Mailbox.
bool rawExec(const QString &path, const QString &statement)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        ok = db.open() && QSqlQuery(db).exec(statement);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return ok;
}

QStringList subjects(const QList<MailRecord> &mails)
{
    QStringList out;
    for (const MailRecord &m : mails)
        out.append(m.subject);
    return out;
}

} // namespace

class TestMailbox : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FixedClock m_clock;
    base::SeededRng m_rng {99};
    std::unique_ptr<Mailbox> m_box;
    qint64 m_nextTime = 1'700'000'000'000;

    QString dbPath() const { return m_dir.filePath(QStringLiteral("mail.db")); }
    QString attachmentsRoot() const { return m_dir.filePath(QStringLiteral("attachments")); }

    Result<std::unique_ptr<Mailbox>> openBox() { return Mailbox::open(dbPath(), attachmentsRoot(), m_clock, m_rng); }

    MailRecord mail(const QString &from, const QString &subject, Folder folder = Folder::Inbox)
    {
        MailRecord m;
        m.id = MailMessage::newId(m_rng);
        m.folder = folder;
        m.from = from;
        m.to = {QStringLiteral("me"), QStringLiteral("carol")};
        m.subject = subject;
        m.body = QStringLiteral("Body of ") + subject;
        m.sentAt = m_nextTime += 1000;
        m.receivedAt = m.sentAt + 50;
        m.sendState = SendState::Sent;
        return m;
    }

    MailRecord addMail(const QString &from, const QString &subject, Folder folder = Folder::Inbox)
    {
        MailRecord m = mail(from, subject, folder);
        auto added = m_box->add(m);
        if (!added.ok() || !added.value())
            qFatal("cannot add a test mail: %s", qPrintable(added.ok() ? QStringLiteral("not new") : added.message()));
        return m;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(dbPath());
        QFile::remove(dbPath() + QStringLiteral("-wal"));
        QFile::remove(dbPath() + QStringLiteral("-shm"));
        QDir(attachmentsRoot()).removeRecursively();
        auto box = openBox();
        CAIRN_VERIFY_OK(box);
        m_box = std::move(box).value();
    }

    void cleanup() { m_box.reset(); }

    void storesEveryField()
    {
        MailRecord m = mail(QStringLiteral("alice"), QStringLiteral("Photos"));
        m.kind = MailKind::FileDrop;
        m.read = true;
        m.sendError = QStringLiteral("none yet");
        m.ttlSeconds = 7 * 24 * 3600;
        m.manifest = m_rng.bytes(500);
        m.attachments = {
            {0, QStringLiteral("summit/a.jpg"), 1234, attachmentsRoot() + QStringLiteral("/x/a.jpg"),
                AttachmentState::Done, QStringLiteral("t1")},
            {1, QStringLiteral("summit/b.jpg"), 0, QString(), AttachmentState::Pending, QString()},
        };
        auto added = m_box->add(m);
        CAIRN_VERIFY_OK(added);
        QVERIFY(added.value());
        auto got = m_box->get(m.id);
        CAIRN_VERIFY_OK(got);
        QCOMPARE(got.value(), m);
        QCOMPARE(got->idHex().size(), 32);
        auto byHex = m_box->get(m.idHex());
        CAIRN_VERIFY_OK(byHex);
        QCOMPARE(byHex.value(), m);
    }

    void addIsIdempotentById()
    {
        MailRecord m = mail(QStringLiteral("alice"), QStringLiteral("Once"));
        m.attachments = {{0, QStringLiteral("f.txt"), 3, {}, AttachmentState::Pending, {}}};
        CAIRN_VERIFY_OK(m_box->add(m));
        MailRecord again = m;
        again.subject = QStringLiteral("Twice?");
        again.attachments.append({1, QStringLiteral("g.txt"), 4, {}, AttachmentState::Pending, {}});
        auto second = m_box->add(again);
        CAIRN_VERIFY_OK(second);
        QVERIFY(!second.value());
        QCOMPARE(m_box->get(m.id).value(), m);
        QCOMPARE(m_box->counts().value().value(Folder::Inbox).total, 1);
        QVERIFY(m_box->contains(m.id).value());
        QVERIFY(!m_box->contains(MailMessage::newId(m_rng)).value());
    }

    void foldersAndMoves()
    {
        const MailRecord a = addMail(QStringLiteral("alice"), QStringLiteral("a"));
        const MailRecord b = addMail(QStringLiteral("bob"), QStringLiteral("b"));
        const MailRecord out = addMail(QStringLiteral("me"), QStringLiteral("out"), Folder::Outbox);
        QCOMPARE(
            subjects(m_box->list(Folder::Inbox).value()), (QStringList {QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(subjects(m_box->list(Folder::Outbox).value()), QStringList {QStringLiteral("out")});
        QVERIFY(m_box->list(Folder::Sent).value().isEmpty());

        CAIRN_VERIFY_OK(m_box->moveTo(out.idHex(), Folder::Sent));
        CAIRN_VERIFY_OK(m_box->moveTo(a.id, Folder::Trash));
        QCOMPARE(subjects(m_box->list(Folder::Sent).value()), QStringList {QStringLiteral("out")});
        QCOMPARE(subjects(m_box->list(Folder::Trash).value()), QStringList {QStringLiteral("a")});
        QCOMPARE(subjects(m_box->list(Folder::Inbox).value()), QStringList {QStringLiteral("b")});
        QCOMPARE(m_box->get(a.id)->folder, Folder::Trash);
        // Restore from the trash.
        CAIRN_VERIFY_OK(m_box->moveTo(a.id, Folder::Inbox));
        QCOMPARE(m_box->list(Folder::Inbox).value().size(), 2);
        CAIRN_VERIFY_ERROR(m_box->moveTo(MailMessage::newId(m_rng), Folder::Sent), MailError::NotFound);
        CAIRN_VERIFY_ERROR(m_box->moveTo(b.id, Folder(9)), MailError::InvalidArgument);
    }

    void unreadCountsPerFolder()
    {
        const MailRecord a = addMail(QStringLiteral("alice"), QStringLiteral("a"));
        addMail(QStringLiteral("bob"), QStringLiteral("b"));
        MailRecord sent = mail(QStringLiteral("me"), QStringLiteral("s"), Folder::Sent);
        sent.read = true;
        CAIRN_VERIFY_OK(m_box->add(sent));
        QCOMPARE(m_box->unreadCount(Folder::Inbox).value(), 2);
        CAIRN_VERIFY_OK(m_box->setRead(a.id));
        QCOMPARE(m_box->unreadCount(Folder::Inbox).value(), 1);
        QVERIFY(m_box->get(a.id)->read);
        CAIRN_VERIFY_OK(m_box->setRead(a.idHex().left(8), false));
        QCOMPARE(m_box->unreadCount(Folder::Inbox).value(), 2);

        auto counts = m_box->counts();
        CAIRN_VERIFY_OK(counts);
        QCOMPARE(counts->size(), 4);
        QCOMPARE(counts->value(Folder::Inbox), (FolderCounts {2, 2}));
        QCOMPARE(counts->value(Folder::Sent), (FolderCounts {1, 0}));
        QCOMPARE(counts->value(Folder::Trash), (FolderCounts {0, 0}));
        QCOMPARE(counts->value(Folder::Outbox), (FolderCounts {0, 0}));
        QCOMPARE(m_box->unreadCount(Folder::Trash).value(), 0);
        CAIRN_VERIFY_ERROR(m_box->setRead(MailMessage::newId(m_rng)), MailError::NotFound);
    }

    void searchBySenderOrSubjectIgnoringCase()
    {
        addMail(QStringLiteral("alice"), QStringLiteral("Summit plans"));
        addMail(QStringLiteral("bob"), QStringLiteral("Ärger mit dem Zelt"));
        addMail(QStringLiteral("malice"), QStringLiteral("Re: plans"));
        addMail(QStringLiteral("carol"), QStringLiteral("100% sure_thing"));
        auto by = [this](const QString &search) { return subjects(m_box->list(Folder::Inbox, search).value()); };
        QCOMPARE(
            by(QStringLiteral("ALICE")), (QStringList {QStringLiteral("Re: plans"), QStringLiteral("Summit plans")}));
        QCOMPARE(
            by(QStringLiteral("PLANS")), (QStringList {QStringLiteral("Re: plans"), QStringLiteral("Summit plans")}));
        QCOMPARE(by(QStringLiteral("ärger")), QStringList {QStringLiteral("Ärger mit dem Zelt")});
        QCOMPARE(by(QStringLiteral("bob")), QStringList {QStringLiteral("Ärger mit dem Zelt")});
        // No SQL wildcards: % and _ are plain characters.
        QCOMPARE(by(QStringLiteral("%")), QStringList {QStringLiteral("100% sure_thing")});
        QCOMPARE(by(QStringLiteral("e_t")), QStringList {QStringLiteral("100% sure_thing")});
        QVERIFY(by(QStringLiteral("zzz")).isEmpty());
        // The body is not searched; the recipients neither.
        QVERIFY(by(QStringLiteral("Body of")).isEmpty());
        QVERIFY(by(QStringLiteral("carol")).size() == 1);
        QCOMPARE(by(QString()).size(), 4);
        QCOMPARE(by(QStringLiteral("  ")).size(), 4);
        QVERIFY(m_box->list(Folder::Sent, QStringLiteral("alice")).value().isEmpty());
    }

    void listPagesNewestFirst()
    {
        for (int i = 0; i < 5; ++i)
            addMail(QStringLiteral("alice"), QString::number(i));
        QCOMPARE(subjects(m_box->list(Folder::Inbox, {}, 2, 0).value()),
            (QStringList {QStringLiteral("4"), QStringLiteral("3")}));
        QCOMPARE(subjects(m_box->list(Folder::Inbox, {}, 2, 2).value()),
            (QStringList {QStringLiteral("2"), QStringLiteral("1")}));
        QCOMPARE(subjects(m_box->list(Folder::Inbox, {}, 2, 4).value()), QStringList {QStringLiteral("0")});
        CAIRN_VERIFY_ERROR(m_box->list(Folder::Inbox, {}, 0, 0), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->list(Folder::Inbox, {}, Mailbox::kMaxListLimit + 1, 0), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->list(Folder::Inbox, {}, 10, -1), MailError::InvalidArgument);
    }

    void lookupByUniquePrefix()
    {
        MailRecord one = mail(QStringLiteral("alice"), QStringLiteral("one"));
        one.id = idFromHex("abcd0100000000000000000000000000");
        MailRecord two = mail(QStringLiteral("alice"), QStringLiteral("two"));
        two.id = idFromHex("abcd0200000000000000000000000000");
        CAIRN_VERIFY_OK(m_box->add(one));
        CAIRN_VERIFY_OK(m_box->add(two));

        auto ambiguous = m_box->get(QStringLiteral("abcd"));
        CAIRN_VERIFY_ERROR(ambiguous, MailError::Ambiguous);
        QVERIFY2(ambiguous.message().contains(QLatin1String("more digits")), qPrintable(ambiguous.message()));
        QCOMPARE(m_box->get(QStringLiteral("abcd01"))->subject, QStringLiteral("one"));
        QCOMPARE(m_box->get(QStringLiteral("ABCD02"))->subject, QStringLiteral("two"));
        QCOMPARE(m_box->get(QStringLiteral(" abcd02 "))->subject, QStringLiteral("two"));
        QCOMPARE(m_box->get(QStringLiteral("abcd0200000000000000000000000000"))->subject, QStringLiteral("two"));
        QCOMPARE(m_box->resolve(QStringLiteral("abcd01")).value(), one.id);
        CAIRN_VERIFY_ERROR(m_box->get(QStringLiteral("abcd03")), MailError::NotFound);
        CAIRN_VERIFY_ERROR(m_box->get(QStringLiteral("ffff")), MailError::NotFound);
        CAIRN_VERIFY_ERROR(m_box->get(QStringLiteral("abc")), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->get(QStringLiteral("abcg")), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->get(QString()), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->get(QStringLiteral("abcd02000000000000000000000000000")), MailError::InvalidArgument);
        CAIRN_VERIFY_ERROR(m_box->get(QByteArray("short")), MailError::InvalidArgument);
    }

    void trashThenDeleteRemovesAttachmentFiles()
    {
        MailRecord m = mail(QStringLiteral("alice"), QStringLiteral("with files"));
        const QString dir = m_box->attachmentDir(m.id);
        QCOMPARE(dir, attachmentsRoot() + QLatin1Char('/') + m.idHex());
        const QString inside = dir + QStringLiteral("/photos/a.jpg");
        const QString outside = m_dir.filePath(QStringLiteral("Downloads/drop.bin"));
        QVERIFY(writeFile(inside, "jpeg"));
        QVERIFY(writeFile(outside, "mine"));
        m.attachments = {{0, QStringLiteral("photos/a.jpg"), 4, inside, AttachmentState::Done, {}},
            {1, QStringLiteral("drop.bin"), 4, outside, AttachmentState::Done, {}}};
        CAIRN_VERIFY_OK(m_box->add(m));
        const MailRecord other = addMail(QStringLiteral("bob"), QStringLiteral("stays"));
        QVERIFY(writeFile(m_box->attachmentDir(other.id) + QStringLiteral("/b.txt"), "b"));

        auto first = m_box->remove(m.id);
        CAIRN_VERIFY_OK(first);
        QVERIFY(!first.value()); // into the trash
        QCOMPARE(m_box->get(m.id)->folder, Folder::Trash);
        QVERIFY(QFile::exists(inside));

        auto second = m_box->remove(m.id);
        CAIRN_VERIFY_OK(second);
        QVERIFY(second.value()); // for ever
        CAIRN_VERIFY_ERROR(m_box->get(m.id), MailError::NotFound);
        QVERIFY(!QFile::exists(inside));
        QVERIFY(!QDir(dir).exists());
        QVERIFY(QFile::exists(outside)); // the user's own download stays
        QVERIFY(QFile::exists(m_box->attachmentDir(other.id) + QStringLiteral("/b.txt")));
        CAIRN_VERIFY_ERROR(m_box->remove(m.id), MailError::NotFound);
        // A re-read copy of a deleted message is new again.
        QVERIFY(m_box->add(m).value());
    }

    void moveToTrashFromTrashDeletesForEver()
    {
        const MailRecord m = addMail(QStringLiteral("alice"), QStringLiteral("bye"));
        QVERIFY(writeFile(m_box->attachmentDir(m.id) + QStringLiteral("/x"), "x"));
        CAIRN_VERIFY_OK(m_box->moveTo(m.id, Folder::Trash));
        QVERIFY(m_box->contains(m.id).value());
        CAIRN_VERIFY_OK(m_box->moveTo(m.idHex(), Folder::Trash));
        QVERIFY(!m_box->contains(m.id).value());
        QVERIFY(!QDir(m_box->attachmentDir(m.id)).exists());
        QCOMPARE(m_box->counts()->value(Folder::Trash).total, 0);
    }

    void sendStateAndAttachmentUpdates()
    {
        MailRecord m = mail(QStringLiteral("me"), QStringLiteral("outgoing"), Folder::Outbox);
        m.sendState = SendState::Uploading;
        m.attachments = {{0, QStringLiteral("a"), 1, QStringLiteral("/home/me/a"), AttachmentState::Pending, {}}};
        CAIRN_VERIFY_OK(m_box->add(m));
        CAIRN_VERIFY_OK(m_box->updateSendState(m.id, SendState::Failed, QStringLiteral("no member named zed")));
        auto got = m_box->get(m.id);
        QCOMPARE(got->sendState, SendState::Failed);
        QCOMPARE(got->sendError, QStringLiteral("no member named zed"));
        CAIRN_VERIFY_OK(m_box->updateSendState(m.id, SendState::Sent));
        QCOMPARE(m_box->get(m.id)->sendError, QString());

        CAIRN_VERIFY_OK(m_box->updateAttachment(m.id, 0, AttachmentState::Downloading, {}, QStringLiteral("t-7")));
        AttachmentRecord a = m_box->get(m.id)->attachments.value(0);
        QCOMPARE(a.state, AttachmentState::Downloading);
        QCOMPARE(a.localPath, QStringLiteral("/home/me/a")); // kept
        QCOMPARE(a.transferId, QStringLiteral("t-7"));
        CAIRN_VERIFY_OK(m_box->updateAttachment(m.id, 0, AttachmentState::Done, QStringLiteral("/tmp/a")));
        a = m_box->get(m.id)->attachments.value(0);
        QCOMPARE(a.state, AttachmentState::Done);
        QCOMPARE(a.localPath, QStringLiteral("/tmp/a"));
        QCOMPARE(a.transferId, QStringLiteral("t-7"));

        CAIRN_VERIFY_ERROR(m_box->updateAttachment(m.id, 1, AttachmentState::Done), MailError::NotFound);
        CAIRN_VERIFY_ERROR(
            m_box->updateAttachment(MailMessage::newId(m_rng), 0, AttachmentState::Done), MailError::NotFound);
        CAIRN_VERIFY_ERROR(m_box->updateSendState(MailMessage::newId(m_rng), SendState::Sent), MailError::NotFound);
    }

    void noticesLandUnreadInTheInbox()
    {
        m_clock.m_unixTime = 1'760'000'000;
        auto id = m_box->addNotice(QStringLiteral("A message was rejected"),
            QStringLiteral("Rejected a message that claimed to be from alice"));
        CAIRN_VERIFY_OK(id);
        auto notice = m_box->get(id.value());
        CAIRN_VERIFY_OK(notice);
        QCOMPARE(notice->kind, MailKind::Notice);
        QCOMPARE(notice->folder, Folder::Inbox);
        QVERIFY(!notice->read);
        QVERIFY(notice->from.isEmpty());
        QCOMPARE(notice->sentAt, 1'760'000'000'000);
        QCOMPARE(notice->receivedAt, notice->sentAt);
        QCOMPARE(notice->body, QStringLiteral("Rejected a message that claimed to be from alice"));
        QCOMPARE(m_box->unreadCount(Folder::Inbox).value(), 1);
        QVERIFY(m_box->addNotice(QStringLiteral("again"), {}).value() != id.value());
    }

    void refusesBadRecords()
    {
        MailRecord m = mail(QStringLiteral("alice"), QStringLiteral("bad"));
        m.id = "too short";
        CAIRN_VERIFY_ERROR(m_box->add(m), MailError::InvalidArgument);
        m = mail(QStringLiteral("alice"), QStringLiteral("bad"));
        m.attachments = {{0, QStringLiteral("a"), 1, {}, AttachmentState::Pending, {}},
            {0, QStringLiteral("b"), 1, {}, AttachmentState::Pending, {}}};
        CAIRN_VERIFY_ERROR(m_box->add(m), MailError::InvalidArgument);
        m.attachments = {{-1, QStringLiteral("a"), 1, {}, AttachmentState::Pending, {}}};
        CAIRN_VERIFY_ERROR(m_box->add(m), MailError::InvalidArgument);
        m.attachments.clear();
        m.folder = Folder(7);
        CAIRN_VERIFY_ERROR(m_box->add(m), MailError::InvalidArgument);
        QCOMPARE(m_box->counts()->value(Folder::Inbox).total, 0);
    }

    void reopeningKeepsEverything()
    {
        MailRecord a = mail(QStringLiteral("alice"), QStringLiteral("kept"));
        a.attachments = {{0, QStringLiteral("a.txt"), 10, {}, AttachmentState::Pending, QStringLiteral("t")}};
        a.manifest = "manifest";
        CAIRN_VERIFY_OK(m_box->add(a));
        QVERIFY(QFile::exists(dbPath() + QStringLiteral("-wal"))); // write-ahead logging
        const MailRecord s = addMail(QStringLiteral("me"), QStringLiteral("sent"), Folder::Sent);
        CAIRN_VERIFY_OK(m_box->setRead(a.id));
        const QByteArray notice = m_box->addNotice(QStringLiteral("n"), QStringLiteral("b")).value();
        const auto countsBefore = m_box->counts().value();
        const auto inboxBefore = m_box->list(Folder::Inbox).value();
        m_box.reset();

        QVERIFY(!QFile::exists(dbPath() + QStringLiteral("-wal"))); // closed cleanly: checkpointed
        auto reopened = openBox();
        CAIRN_VERIFY_OK(reopened);
        m_box = std::move(reopened).value();
        QCOMPARE(m_box->counts().value(), countsBefore);
        QCOMPARE(m_box->list(Folder::Inbox).value(), inboxBefore);
        a.read = true;
        QCOMPARE(m_box->get(a.id).value(), a);
        QCOMPARE(m_box->get(s.id).value(), s);
        QCOMPARE(m_box->get(notice)->kind, MailKind::Notice);
        // Still idempotent after the reopen.
        QVERIFY(!m_box->add(a).value());
    }

    void twoMailboxesAtOnce()
    {
        QTemporaryDir other;
        auto second = Mailbox::open(
            other.filePath(QStringLiteral("m.db")), other.filePath(QStringLiteral("att")), m_clock, m_rng);
        CAIRN_VERIFY_OK(second);
        addMail(QStringLiteral("alice"), QStringLiteral("first box"));
        QCOMPARE(second.value()->counts()->value(Folder::Inbox).total, 0);
        QCOMPARE(m_box->counts()->value(Folder::Inbox).total, 1);
    }

    void newerSchemaIsRefusedUntouched()
    {
        addMail(QStringLiteral("alice"), QStringLiteral("old"));
        m_box.reset();
        QVERIFY(rawExec(dbPath(), QStringLiteral("UPDATE schema_version SET version = 2")));
        const QByteArray before = fileHash(dbPath());
        QVERIFY(!before.isEmpty());
        auto refused = openBox();
        CAIRN_VERIFY_ERROR(refused, MailError::UnsupportedSchema);
        QVERIFY2(refused.message().contains(QLatin1String("newer")), qPrintable(refused.message()));
        QCOMPARE(fileHash(dbPath()), before);
    }

    void foreignFilesAreRefused()
    {
        m_box.reset();
        const QString foreign = m_dir.filePath(QStringLiteral("other.db"));
        QFile::remove(foreign);
        QVERIFY(rawExec(foreign, QStringLiteral("CREATE TABLE notes (x TEXT)")));
        auto notOurs = Mailbox::open(foreign, attachmentsRoot(), m_clock, m_rng);
        CAIRN_VERIFY_ERROR(notOurs, MailError::Corrupt);

        const QString garbage = m_dir.filePath(QStringLiteral("garbage.db"));
        QVERIFY(writeFile(garbage, QByteArray(4096, 'g')));
        auto notSqlite = Mailbox::open(garbage, attachmentsRoot(), m_clock, m_rng);
        CAIRN_VERIFY_ERROR(notSqlite, MailError::Corrupt);
        CAIRN_VERIFY_ERROR(Mailbox::open(QString(), attachmentsRoot(), m_clock, m_rng), MailError::InvalidArgument);
    }

    void enumNames()
    {
        QCOMPARE(folderName(Folder::Outbox), QStringLiteral("outbox"));
        QCOMPARE(folderFromName(QStringLiteral("Trash")), std::optional<Folder>(Folder::Trash));
        QVERIFY(!folderFromName(QStringLiteral("spam")).has_value());
        QCOMPARE(sendStateName(SendState::Uploading), QStringLiteral("uploading"));
        QCOMPARE(attachmentStateName(AttachmentState::Failed), QStringLiteral("failed"));
        QCOMPARE(kindName(MailKind::FileDrop), QStringLiteral("drop"));
        QCOMPARE(kindName(MailKind(9)), QStringLiteral("unknown(9)"));
    }
};

QTEST_GUILESS_MAIN(TestMailbox)
#include "test_mailbox.moc"
