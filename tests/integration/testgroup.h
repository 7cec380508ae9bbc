#pragma once

#include "nodeprocess.h"

#include <QByteArray>
#include <QStringList>

#include <memory>
#include <vector>

/// A group of real `cairnd` processes on 127.0.0.1 for one test: the
/// operator creates it (auto signing) and every other node joins with the
/// same invite link, as its own username. Every node gets `commonArgs`
/// (e.g. --min-copies 3 --poll 2s) and bootstraps from the operator.
class TestGroup {
public:
    TestGroup(QString dir, QString passphraseFile, QStringList commonArgs);
    ~TestGroup();

    /// Starts the operator (donating `donate`, e.g. "512M"), creates the
    /// group and an invite for `uses` joins. False with the reason in *why.
    bool create(const QString &groupName, const QString &donate, int uses, QString *why);
    /// A new member: init, start (with `extra` run arguments), join; waits
    /// until it is certified.
    NodeProcess *add(const QString &username, const QString &donate, QString *why, const QStringList &extra = {});

    NodeProcess &op() { return *m_operator; }
    /// The operator and every member.
    QList<NodeProcess *> all() const;
    const QByteArray &groupId() const { return m_groupId; }
    const QString &link() const { return m_link; }
    /// The `cairnd run` arguments of a node donating `donate` (empty: none).
    QStringList nodeArgs(const QString &donate) const;
    /// A node that is up, certified and not pending.
    static bool isMember(NodeProcess &node);

private:
    std::unique_ptr<NodeProcess> startNode(
        const QString &name, const QString &donate, QString *why, const QStringList &extra = {});

    QString m_dir;
    QString m_pass;
    QStringList m_common;
    std::unique_ptr<NodeProcess> m_operator;
    std::vector<std::unique_ptr<NodeProcess>> m_members;
    QByteArray m_groupId;
    QString m_link;
};
