#pragma once

#include <QWidget>

class QPushButton;
class QTimer;
class QTreeWidget;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

/// Every upload and download with a progress bar, speed and time left;
/// pause, resume and cancel; "Show in folder" once a download is saved.
class TransfersPage : public QWidget {
    Q_OBJECT
public:
    explicit TransfersPage(QWidget *parent = nullptr);

    void bind(engine::Node *node);
    /// Rebuilds the rows from the engine now.
    void refresh();
    QTreeWidget *list() const { return m_list; }

Q_SIGNALS:
    /// A download finished (for a notification): its label and folder.
    void downloadFinished(const QString &label, const QString &folder);
    void uploadFinished(const QString &label);

private:
    void connectTransfers();
    QString currentId() const;
    void act(const QString &what);
    void updateButtons();

    engine::Node *m_node = nullptr;
    QTreeWidget *m_list;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_show;
    QPushButton *m_clear;
    QTimer *m_coalesce;
};

} // namespace cairn::ui
