// Mail between real `cairnd` processes on 127.0.0.1: an operator, six
// storage members, alice, and bob with two devices. Alice mails Bob while
// both of his devices are stopped; half of the storage nodes are killed
// with SIGKILL; Bob starts and reads subject, body and a 5 MB attachment
// byte for byte, on both devices. The storage nodes never saw any of it in
// the clear, Bob's reading deletes his inbox entries on every surviving
// replica, a tampered replica is passed over, and an envelope signed by a
// key that is not the claimed sender's is rejected with a notice. A mail to two
// users reaches both (and both of bob's devices); a drop waits for `receive`.
#include "core/base/rng.h"
#include "core/crypto/envelope.h"
#include "core/crypto/keys.h"
#include "core/mail/inboxheader.h"
#include "core/mail/mailmessage.h"
#include "core/store/blobstore.h"
#include "nodeprocess.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <vector>

using namespace cairn;

namespace {

constexpr int kStorageNodes = 6;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Every byte under a profile that a storage node keeps on disk.
QByteArray diskImage(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        all += readAll(it.next());
    return all;
}

/// Rows of one SQL query on a (possibly running) node's store.
qint64 countRows(const QString &dbPath, const QString &sql, const QByteArray &arg)
{
    const QString name = QStringLiteral("probe-%1").arg(QRandomGenerator::global()->generate());
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            q.addBindValue(arg);
            if (q.exec() && q.next())
                n = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return n;
}

} // namespace

class TestMail : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_pass;
    QByteArray m_groupId;
    std::unique_ptr<NodeProcess> m_operator;
    std::vector<std::unique_ptr<NodeProcess>> m_storage; // s1..s6
    std::unique_ptr<NodeProcess> m_alice, m_bob, m_bob2;
    QString m_attachment;
    QString m_subject = QStringLiteral("Cairn field notes, volume 7");
    QString m_body = QStringLiteral("Bob, the notes from the ridge walk are attached. Mind the third cairn.\n");
    QString m_mailId;

    QStringList nodeArgs(const QString &donate) const
    {
        QStringList args {QStringLiteral("--bootstrap"), m_operator ? m_operator->endpoint() : QString(),
            QStringLiteral("--min-copies"), QStringLiteral("5"), QStringLiteral("--poll"), QStringLiteral("2s")};
        if (!m_operator)
            args = args.mid(2);
        if (!donate.isEmpty())
            args << QStringLiteral("--donate") << donate;
        return args;
    }

    std::unique_ptr<NodeProcess> startNode(const QString &name, const QString &donate)
    {
        auto node = std::make_unique<NodeProcess>(m_dir.filePath(name), m_pass);
        QString why;
        if (!node->init(name) || !node->start(nodeArgs(donate), &why)) {
            qWarning() << "cannot start" << name << why;
            return nullptr;
        }
        return node;
    }

    bool join(NodeProcess &node, const QString &link, const QString &username)
    {
        const CliResult r = node.cli(QStringLiteral("join"), {link, QStringLiteral("--username"), username});
        if (r.exitCode != 0)
            qWarning() << "join" << username << r.err;
        return r.exitCode == 0;
    }

    static bool isMember(NodeProcess &node)
    {
        return node.status().value(QStringLiteral("state")).toString() == QLatin1String("member");
    }

    QJsonArray mails(NodeProcess &node, const QString &folder, bool refresh = true)
    {
        QStringList args {QStringLiteral("list"), QStringLiteral("--folder"), folder};
        if (refresh)
            args << QStringLiteral("--refresh");
        return node.cli(QStringLiteral("mail"), args).json().value(QStringLiteral("mails")).toArray();
    }

    QJsonObject findMail(NodeProcess &node, const QString &folder, const QString &subject)
    {
        for (const QJsonValue &v : mails(node, folder)) {
            if (v.toObject().value(QStringLiteral("subject")).toString() == subject)
                return v.toObject();
        }
        return {};
    }

    QByteArray bobInboxKey() const { return mail::inboxKey(m_groupId, u"bob"); }

    /// On a failure: what the node thinks of the mail and its transfers, and
    /// the end of its log.
    static void explain(NodeProcess &node, const QJsonObject &mail)
    {
        qWarning().noquote() << "mail:" << QJsonDocument(mail).toJson();
        qWarning().noquote() << "transfers:" << node.cli(QStringLiteral("transfers")).out;
        qWarning().noquote() << "log:" << node.output().right(4000);
    }

    QList<NodeProcess *> liveStorage()
    {
        QList<NodeProcess *> out {m_operator.get()};
        for (auto &s : m_storage) {
            if (s->isRunning())
                out.append(s.get());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(m_pass, "correct horse battery staple"));

        m_operator = startNode(QStringLiteral("op"), QStringLiteral("512M"));
        QVERIFY(m_operator);
        const CliResult created = m_operator->cli(QStringLiteral("group"),
            {QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("Ridge Walkers"),
                QStringLiteral("--username"), QStringLiteral("op")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        m_groupId = QByteArray::fromHex(created.json().value(QStringLiteral("groupId")).toString().toLatin1());
        QVERIFY(!m_groupId.isEmpty());
        const QString link = m_operator->cli(QStringLiteral("invite"), {QStringLiteral("--uses"), QStringLiteral("10")})
                                 .json()
                                 .value(QStringLiteral("link"))
                                 .toString();
        QVERIFY(!link.isEmpty());
        for (int i = 1; i <= kStorageNodes; ++i) {
            auto node = startNode(QStringLiteral("s%1").arg(i), QStringLiteral("512M"));
            QVERIFY(node);
            QVERIFY(join(*node, link, QStringLiteral("s%1").arg(i)));
            m_storage.push_back(std::move(node));
        }
        m_alice = startNode(QStringLiteral("alice"), {});
        m_bob = startNode(QStringLiteral("bob"), {});
        m_bob2 = startNode(QStringLiteral("bob-laptop"), {});
        QVERIFY(m_alice && m_bob && m_bob2);
        QVERIFY(join(*m_alice, link, QStringLiteral("alice")));
        QVERIFY(join(*m_bob, link, QStringLiteral("bob")));
        // A second device of a known user always needs the operator.
        m_bob2->cli(QStringLiteral("join"), {link, QStringLiteral("--username"), QStringLiteral("bob")});
        QVERIFY(waitFor(
            [&] { return m_operator->cli(QStringLiteral("approve"), {QStringLiteral("bob")}).exitCode == 0; }, 10'000));
        QVERIFY(waitFor([&] { return isMember(*m_bob2); }, 15'000));
        for (auto *node : liveStorage())
            QVERIFY(waitFor([&] { return isMember(*node); }, 10'000));
        QVERIFY(waitFor([&] { return m_alice->status().value(QStringLiteral("routingTable")).toInt() >= 8; }, 20'000));

        // A 5 MB attachment of random bytes.
        m_attachment = m_dir.filePath(QStringLiteral("ridge-walk-notes.bin"));
        QFile a(m_attachment);
        QVERIFY(a.open(QIODevice::WriteOnly));
        base::SodiumRng rng;
        for (int i = 0; i < 80; ++i)
            a.write(rng.bytes(64 * 1024 - 1000));
        a.close();
    }

    void aliceMailsBobWhileHeIsOfflineAndHalfTheStorageDies()
    {
        QCOMPARE(m_bob->stop(), 0);
        QCOMPARE(m_bob2->stop(), 0);
        const QString bodyFile = m_dir.filePath(QStringLiteral("body.txt"));
        QFile b(bodyFile);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(m_body.toUtf8());
        b.close();
        const CliResult sent = m_alice->cli(QStringLiteral("mail"),
            {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("bob"), QStringLiteral("--subject"),
                m_subject, QStringLiteral("--body-file"), bodyFile, QStringLiteral("--attach"), m_attachment});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err));
        m_mailId = sent.json().value(QStringLiteral("id")).toString();
        QVERIFY(!m_mailId.isEmpty());
        // Delivered: it leaves alice's Outbox for Sent.
        QVERIFY2(waitFor([&] { return !findMail(*m_alice, QStringLiteral("sent"), m_subject).isEmpty(); }, 120'000),
            QJsonDocument(mails(*m_alice, QStringLiteral("outbox"), false)).toJson().constData());

        // Half of the storage nodes vanish without a word.
        for (int i = 0; i < kStorageNodes / 2; ++i)
            m_storage[size_t(i)]->kill9();

        QString why;
        QVERIFY2(m_bob->start(nodeArgs({}), &why), qPrintable(why));
        QJsonObject listed;
        QVERIFY(waitFor(
            [&] {
                listed = findMail(*m_bob, QStringLiteral("inbox"), m_subject);
                return !listed.isEmpty();
            },
            60'000));
        QCOMPARE(listed.value(QStringLiteral("from")).toString(), QStringLiteral("alice"));
        QJsonObject mail;
        const bool received = waitFor(
            [&] {
                mail = m_bob->cli(QStringLiteral("mail"), {QStringLiteral("read"), m_mailId.left(8)}).json();
                const QJsonArray files = mail.value(QStringLiteral("attachments")).toArray();
                return files.size() == 1
                    && files[0].toObject().value(QStringLiteral("state")).toString() == QLatin1String("done");
            },
            120'000);
        if (!received)
            explain(*m_bob, mail);
        QVERIFY(received);
        QCOMPARE(mail.value(QStringLiteral("subject")).toString(), m_subject);
        QCOMPARE(mail.value(QStringLiteral("body")).toString(), m_body);
        const QJsonObject file = mail.value(QStringLiteral("attachments")).toArray().first().toObject();
        QCOMPARE(file.value(QStringLiteral("name")).toString(), QStringLiteral("ridge-walk-notes.bin"));
        const QString saved = file.value(QStringLiteral("path")).toString();
        QVERIFY2(saved.startsWith(m_bob->profile()), qPrintable(saved)); // inside the profile
        QVERIFY(readAll(saved) == readAll(m_attachment));
    }

    void bobsSecondDeviceGetsItToo()
    {
        QString why;
        QVERIFY2(m_bob2->start(nodeArgs({}), &why), qPrintable(why));
        QJsonObject mail;
        QVERIFY(waitFor(
            [&] {
                if (findMail(*m_bob2, QStringLiteral("inbox"), m_subject).isEmpty())
                    return false;
                mail = m_bob2->cli(QStringLiteral("mail"), {QStringLiteral("read"), m_mailId}).json();
                const QJsonArray files = mail.value(QStringLiteral("attachments")).toArray();
                return files.size() == 1
                    && files[0].toObject().value(QStringLiteral("state")).toString() == QLatin1String("done");
            },
            120'000));
        QCOMPARE(mail.value(QStringLiteral("body")).toString(), m_body);
        QVERIFY(readAll(mail.value(QStringLiteral("attachments"))
                            .toArray()[0]
                            .toObject()
                            .value(QStringLiteral("path"))
                            .toString())
            == readAll(m_attachment));
    }

    void readingDeletesBobsEntriesOnEverySurvivingReplica()
    {
        // Both devices have read it: no replica that is still up keeps an
        // entry in bob's inbox.
        for (NodeProcess *node : liveStorage()) {
            const QString db = QDir(node->profile()).filePath(QStringLiteral("store.db"));
            QVERIFY2(waitFor(
                         [&] {
                             return countRows(db,
                                        QStringLiteral("SELECT COUNT(*) FROM inbox_entries WHERE inbox_key = ?"),
                                        bobInboxKey())
                                 == 0;
                         },
                         15'000),
                qPrintable(node->profile()));
        }
    }

    void storageNodesNeverSawAnythingInTheClear()
    {
        const QByteArray attachment = readAll(m_attachment);
        QList<QByteArray> needles {m_subject.toUtf8(), m_body.toUtf8().left(40), QByteArray("ridge-walk-notes"),
            attachment.mid(0, 32), attachment.mid(attachment.size() / 2, 32), attachment.right(32)};
        QList<NodeProcess *> nodes {m_operator.get()};
        for (auto &s : m_storage)
            nodes.append(s.get());
        for (NodeProcess *node : nodes) {
            const QByteArray image = diskImage(node->profile());
            QVERIFY(image.size() > 0);
            for (const QByteArray &needle : needles)
                QVERIFY2(!image.contains(needle),
                    qPrintable(node->profile() + QStringLiteral(": ") + QString::fromLatin1(needle.left(16).toHex())));
        }
    }

    void aTamperedReplicaIsPassedOver()
    {
        QCOMPARE(m_bob->stop(), 0);
        QCOMPARE(m_bob2->stop(), 0);
        auto blobKeys = [](NodeProcess *node) {
            QSet<QByteArray> keys;
            const QString name = QStringLiteral("keys-%1").arg(QRandomGenerator::global()->generate());
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(QDir(node->profile()).filePath(QStringLiteral("store.db")));
                db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
                if (db.open()) {
                    QSqlQuery q(QStringLiteral("SELECT key FROM blobs"), db);
                    while (q.next())
                        keys.insert(q.value(0).toByteArray());
                }
            }
            QSqlDatabase::removeDatabase(name);
            return keys;
        };
        QHash<NodeProcess *, QSet<QByteArray>> before;
        for (NodeProcess *node : liveStorage())
            before[node] = blobKeys(node);
        const QString subject = QStringLiteral("Second note");
        const QString body = QStringLiteral("Only one replica of this is honest.\n");
        const CliResult sent = m_alice->cli(QStringLiteral("mail"),
            {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("bob"), QStringLiteral("--subject"),
                subject, QStringLiteral("--body"), body});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err));
        QVERIFY(waitFor([&] { return !findMail(*m_alice, QStringLiteral("sent"), subject).isEmpty(); }, 60'000));
        // The envelope is the one new blob; alter it on every holder but one.
        QList<NodeProcess *> holders;
        QByteArray envelopeKey;
        for (NodeProcess *node : liveStorage()) {
            const QSet<QByteArray> added = blobKeys(node) - before[node];
            if (added.size() == 1) {
                holders.append(node);
                envelopeKey = *added.begin();
            }
        }
        QVERIFY2(holders.size() >= 2, "the envelope should be on at least two live storage nodes");
        if (holders.contains(m_operator.get()))
            holders.removeOne(m_operator.get()); // the operator's copy stays honest
        else
            holders.removeFirst();
        for (NodeProcess *node : std::as_const(holders)) {
            QCOMPARE(node->stop(), 0);
            const QString name = QStringLiteral("tamper-%1").arg(QRandomGenerator::global()->generate());
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(QDir(node->profile()).filePath(QStringLiteral("store.db")));
                QVERIFY(db.open());
                QSqlQuery q(db);
                q.prepare(QStringLiteral("UPDATE blobs SET value = randomblob(length(value)) WHERE key = ?"));
                q.addBindValue(envelopeKey);
                QVERIFY(q.exec());
                QCOMPARE(q.numRowsAffected(), 1);
            }
            QSqlDatabase::removeDatabase(name);
            QString why;
            QVERIFY2(node->start(nodeArgs(QStringLiteral("512M")), &why), qPrintable(why));
        }
        QString why;
        QVERIFY2(m_bob->start(nodeArgs({}), &why), qPrintable(why));
        QJsonObject listed;
        QVERIFY(waitFor(
            [&] {
                listed = findMail(*m_bob, QStringLiteral("inbox"), subject);
                return !listed.isEmpty();
            },
            60'000));
        const QJsonObject mail
            = m_bob->cli(
                       QStringLiteral("mail"), {QStringLiteral("read"), listed.value(QStringLiteral("id")).toString()})
                  .json();
        QCOMPARE(mail.value(QStringLiteral("body")).toString(), body);
        QVERIFY2(m_bob2->start(nodeArgs({}), &why), qPrintable(why));
    }

    void anEnvelopeSignedByAnotherKeyIsRejectedAndBobIsTold()
    {
        // Bob's first device key, from the directory.
        const QString bobNode = m_bob->status().value(QStringLiteral("nodeId")).toString();
        crypto::PublicKey bobKey;
        for (const QJsonValue &m :
            m_alice->cli(QStringLiteral("members")).json().value(QStringLiteral("members")).toArray()) {
            for (const QJsonValue &d : m.toObject().value(QStringLiteral("devices")).toArray()) {
                if (d.toObject().value(QStringLiteral("nodeId")).toString() != bobNode)
                    continue;
                auto key = crypto::PublicKey::fromBytes(
                    QByteArray::fromHex(d.toObject().value(QStringLiteral("deviceKey")).toString().toLatin1()));
                QVERIFY(key.ok());
                bobKey = key.value();
            }
        }
        auto bobX = crypto::ed25519ToX25519(bobKey);
        QVERIFY(bobX.ok());
        // Mallory's key signs a message that says it is from alice.
        base::SodiumRng rng;
        const crypto::DeviceKey mallory = crypto::DeviceKey::generate(rng);
        mail::MailMessage forged;
        forged.id = mail::MailMessage::newId(rng);
        forged.from = QStringLiteral("alice");
        forged.to = {QStringLiteral("bob")};
        forged.sentAt = QDateTime::currentMSecsSinceEpoch();
        forged.subject = QStringLiteral("New bank details");
        forged.body = QStringLiteral("Please pay the hut fee to this account instead.");
        auto plain = forged.encode();
        QVERIFY(plain.ok());
        auto envelope = crypto::Envelope::seal(mallory, {bobX.value()}, plain.value());
        QVERIFY(envelope.ok());
        mail::InboxHeader header;
        header.messageId = forged.id;
        header.envelopeKey = crypto::blake2b(envelope.value(), 32);
        header.copies = 5;
        header.deleteToken = mail::InboxHeader::newToken(rng);
        header.sentAt = forged.sentAt;
        header.envelopeSize = envelope->size();
        auto sealed = mail::InboxHeader::seal(bobX.value(), header);
        QVERIFY(sealed.ok());
        // Planted straight into the disks of the live storage members.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        for (auto &s : m_storage) {
            if (!s->isRunning())
                continue;
            QCOMPARE(s->stop(), 0);
            {
                auto store = store::BlobStore::open(QDir(s->profile()).filePath(QStringLiteral("store.db")), {});
                QVERIFY(store.ok());
                const QByteArray sender = rng.bytes(20);
                QVERIFY(store.value()->putBlob(header.envelopeKey, envelope.value(), sender, now + 3600, now, 5).ok());
                QVERIFY(store.value()
                            ->appendInbox(bobInboxKey(), sealed.value(), header.tokenHash(), sender, now + 3600, now, 5)
                            .ok());
            }
            QString why;
            QVERIFY2(s->start(nodeArgs(QStringLiteral("512M")), &why), qPrintable(why));
        }
        QJsonObject notice;
        QVERIFY(waitFor(
            [&] {
                for (const QJsonValue &v : mails(*m_bob, QStringLiteral("inbox"))) {
                    if (v.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("notice"))
                        notice = v.toObject();
                }
                return !notice.isEmpty();
            },
            60'000));
        const QJsonObject told
            = m_bob->cli(
                       QStringLiteral("mail"), {QStringLiteral("read"), notice.value(QStringLiteral("id")).toString()})
                  .json();
        QVERIFY2(told.value(QStringLiteral("body")).toString().contains(QStringLiteral("claimed to be from \"alice\"")),
            qPrintable(told.value(QStringLiteral("body")).toString()));
        QVERIFY(findMail(*m_bob, QStringLiteral("inbox"), forged.subject).isEmpty());
    }

    void aDropWaitsUntilBobReceivesItIntoAFolderHeNames()
    {
        const CliResult sent
            = m_alice->cli(QStringLiteral("send"), {m_attachment, QStringLiteral("--to"), QStringLiteral("bob")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err));
        // Without --auto-receive it is listed as incoming and waits.
        QJsonObject incoming;
        QVERIFY(waitFor(
            [&] {
                mails(*m_bob, QStringLiteral("inbox")); // polls
                const QJsonArray waiting
                    = m_bob->cli(QStringLiteral("transfers")).json().value(QStringLiteral("incoming")).toArray();
                incoming = waiting.isEmpty() ? QJsonObject() : waiting.first().toObject();
                return !incoming.isEmpty();
            },
            60'000));
        QCOMPARE(incoming.value(QStringLiteral("from")).toString(), QStringLiteral("alice"));
        QCOMPARE(incoming.value(QStringLiteral("files")).toInt(), 1);
        const QString into = m_dir.filePath(QStringLiteral("bob-chose-this"));
        const CliResult received = m_bob->cli(
            QStringLiteral("receive"), {incoming.value(QStringLiteral("id")).toString(), QStringLiteral("--to"), into});
        QVERIFY2(received.exitCode == 0, qPrintable(received.err));
        const QString saved = QDir(into).filePath(QStringLiteral("ridge-walk-notes.bin"));
        QVERIFY(waitFor([&] { return QFileInfo(saved).size() == QFileInfo(m_attachment).size(); }, 60'000));
        QVERIFY(waitFor([&] { return readAll(saved) == readAll(m_attachment); }, 10'000));
        // Once it is being received it is no longer waiting.
        QVERIFY(m_bob->cli(QStringLiteral("transfers")).json().value(QStringLiteral("incoming")).toArray().isEmpty());
    }

    void aMailToTwoUsersReachesBothAndEveryDevice()
    {
        const QString subject = QStringLiteral("Hut rota for December");
        const CliResult sent = m_alice->cli(QStringLiteral("mail"),
            {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("bob,s6"), QStringLiteral("--subject"),
                subject, QStringLiteral("--body"), QStringLiteral("Bob has the first week, s6 the second.")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err));
        NodeProcess *s6 = m_storage.back().get();
        QVERIFY(s6->isRunning());
        for (NodeProcess *reader : {m_bob.get(), m_bob2.get(), s6}) {
            QJsonObject got;
            QVERIFY2(waitFor(
                         [&] {
                             got = findMail(*reader, QStringLiteral("inbox"), subject);
                             return !got.isEmpty();
                         },
                         60'000),
                qPrintable(reader->profile()));
            QCOMPARE(got.value(QStringLiteral("from")).toString(), QStringLiteral("alice"));
            const QJsonArray to = got.value(QStringLiteral("to")).toArray();
            QCOMPARE(to.size(), 2);
        }
    }

    void deletingAMailMovesItToTheTrash()
    {
        QVERIFY(!findMail(*m_bob, QStringLiteral("inbox"), m_subject).isEmpty());
        const CliResult deleted = m_bob->cli(QStringLiteral("mail"), {QStringLiteral("delete"), m_mailId.left(8)});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        QVERIFY(findMail(*m_bob, QStringLiteral("inbox"), m_subject).isEmpty());
        QVERIFY(!findMail(*m_bob, QStringLiteral("trash"), m_subject).isEmpty());
        // What a person sees: one line per mail, with its subject.
        const CliResult listed = m_bob->cliText(
            QStringLiteral("mail"), {QStringLiteral("list"), QStringLiteral("--folder"), QStringLiteral("trash")});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains(m_subject), qPrintable(listed.out));
        const CliResult unknown
            = m_bob->cliText(QStringLiteral("mail"), {QStringLiteral("delete"), QStringLiteral("ffffffffffff")});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(!unknown.err.trimmed().isEmpty() && !unknown.err.trimmed().contains(QLatin1Char('\n')),
            qPrintable(unknown.err));
    }
};

QTEST_GUILESS_MAIN(TestMail)
#include "test_mail.moc"
