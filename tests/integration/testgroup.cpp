#include "testgroup.h"

#include <QDir>

TestGroup::TestGroup(QString dir, QString passphraseFile, QStringList commonArgs)
    : m_dir(std::move(dir)), m_pass(std::move(passphraseFile)), m_common(std::move(commonArgs))
{ }

TestGroup::~TestGroup() = default;

QStringList TestGroup::nodeArgs(const QString &donate) const
{
    QStringList args = m_common;
    if (m_operator)
        args << QStringLiteral("--bootstrap") << m_operator->endpoint();
    if (!donate.isEmpty())
        args << QStringLiteral("--donate") << donate;
    return args;
}

bool TestGroup::isMember(NodeProcess &node)
{
    return node.status().value(QStringLiteral("state")).toString() == QLatin1String("member");
}

std::unique_ptr<NodeProcess> TestGroup::startNode(
    const QString &name, const QString &donate, QString *why, const QStringList &extra)
{
    auto node = std::make_unique<NodeProcess>(QDir(m_dir).filePath(name), m_pass);
    if (!node->init(name)) {
        *why = QStringLiteral("cairnd init failed for %1").arg(name);
        return nullptr;
    }
    if (!node->start(nodeArgs(donate) + extra, why))
        return nullptr;
    return node;
}

bool TestGroup::create(const QString &groupName, const QString &donate, int uses, QString *why)
{
    m_operator = startNode(QStringLiteral("op"), donate, why);
    if (!m_operator)
        return false;
    const CliResult created = m_operator->cli(QStringLiteral("group"),
        {QStringLiteral("create"), QStringLiteral("--name"), groupName, QStringLiteral("--username"),
            QStringLiteral("op")});
    m_groupId = QByteArray::fromHex(created.json().value(QStringLiteral("groupId")).toString().toLatin1());
    if (created.exitCode != 0 || m_groupId.isEmpty()) {
        *why = QStringLiteral("group create: ") + created.err;
        return false;
    }
    const CliResult invite
        = m_operator->cli(QStringLiteral("invite"), {QStringLiteral("--uses"), QString::number(uses)});
    m_link = invite.json().value(QStringLiteral("link")).toString();
    if (m_link.isEmpty()) {
        *why = QStringLiteral("invite: ") + invite.err;
        return false;
    }
    return true;
}

NodeProcess *TestGroup::add(const QString &username, const QString &donate, QString *why, const QStringList &extra)
{
    auto node = startNode(username, donate, why, extra);
    if (!node)
        return nullptr;
    const CliResult joined = node->cli(QStringLiteral("join"), {m_link, QStringLiteral("--username"), username});
    if (joined.exitCode != 0) {
        *why = QStringLiteral("join %1: %2").arg(username, joined.err);
        return nullptr;
    }
    if (!waitFor([&] { return isMember(*node); }, 15'000)) {
        *why = QStringLiteral("%1 did not become a member").arg(username);
        return nullptr;
    }
    m_members.push_back(std::move(node));
    return m_members.back().get();
}

QList<NodeProcess *> TestGroup::all() const
{
    QList<NodeProcess *> out;
    if (m_operator)
        out << m_operator.get();
    for (const auto &m : m_members)
        out << m.get();
    return out;
}
