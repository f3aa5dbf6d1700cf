#include "timeline/event_list_panel.h"

#include "common/asset_ref.h"
#include "common/time_format.h"
#include "review/alarm_acks.h"
#include "timeline/event_filter.h"
#include "timeline/event_table_model.h"

#include <QComboBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace views {

EventListPanel::EventListPanel(twin::Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("eventList");
    model_ = new EventTableModel(session_, this);
    acks_ = new AlarmAcks(session_, this);
    model_->setAcks(acks_);
    filter_ = new EventFilter(this);
    filter_->setSourceModel(model_);

    severity_ = new QComboBox;
    severity_->setObjectName("severityFilter");
    severity_->setToolTip("Show events of this severity and above");
    severity_->addItem("All", int(twin::Severity::Info));
    severity_->addItem("Info+", int(twin::Severity::Info));
    severity_->addItem("Warning+", int(twin::Severity::Warning));
    severity_->addItem("Alarm+", int(twin::Severity::Alarm));
    severity_->addItem("Critical", int(twin::Severity::Critical));
    connect(severity_, &QComboBox::currentIndexChanged, this, [this](int i) {
        filter_->setMinimumSeverity(static_cast<twin::Severity>(severity_->itemData(i).toInt()));
        updateCount();
    });

    kind_ = new QComboBox;
    kind_->setObjectName("kindFilter");
    kind_->setToolTip("Show events of this kind of asset");
    kind_->addItem("All", QString());
    connect(kind_, &QComboBox::currentIndexChanged, this, [this](int i) {
        filter_->setAssetKind(i < 0 ? QString() : kind_->itemData(i).toString());
        updateCount();
    });

    text_ = new QLineEdit;
    text_->setObjectName("textFilter");
    text_->setPlaceholderText("Filter: text, asset or kind");
    text_->setClearButtonEnabled(true);
    connect(text_, &QLineEdit::textChanged, this, [this](const QString& t) {
        filter_->setText(t);
        updateCount();
    });

    count_ = new QLabel;
    count_->setObjectName("count");

    table_ = new QTableView;
    table_->setObjectName("events");
    table_->setModel(filter_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(EventTableModel::Time, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);   // acknowledge several at once
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);   // asset names: keep the site and the unit
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) { activateRow(i.row()); });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) { activateRow(i.row()); });

    detail_ = new QLabel;
    detail_->setObjectName("eventDetail");
    detail_->setWordWrap(true);
    detail_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detail_->setStyleSheet("QLabel { padding: 4px; }");
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventListPanel::updateDetail);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EventListPanel::updateAckButton);

    // Acknowledging: a button, the table's context menu and Ctrl+K (while the panel has the focus).
    ackButton_ = new QPushButton("Acknowledge");
    ackButton_->setObjectName("acknowledge");
    ackButton_->setToolTip("Acknowledge the selected alarms (Ctrl+K)");
    connect(ackButton_, &QPushButton::clicked, this, [this] { acknowledgeSelected(); });
    auto* ackKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this);
    ackKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(ackKey, &QShortcut::activated, this, [this] { acknowledgeSelected(); });
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.setObjectName("eventMenu");
        QAction* ack = menu.addAction("Acknowledge", QKeySequence(Qt::CTRL | Qt::Key_K), [this] { acknowledgeSelected(); });
        ack->setEnabled(ackButton_->isEnabled());
        menu.exec(table_->viewport()->mapToGlobal(at));
    });
    ackError_ = new QLabel;
    ackError_->setObjectName("ackError");
    ackError_->setWordWrap(true);
    ackError_->setStyleSheet("QLabel { color: #d04040; }");
    ackError_->hide();
    connect(acks_, &AlarmAcks::errorOccurred, this, [this](const QString& m) {
        ackError_->setText(m);
        ackError_->show();
    });
    connect(acks_, &AlarmAcks::changed, this, [this] {
        updateDetail();
        updateAckButton();
    });

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel("Severity"));
    filters->addWidget(severity_);
    filters->addWidget(new QLabel("Asset"));
    filters->addWidget(kind_);
    filters->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(text_);   // a row of its own: the panel often lives in a narrow dock
    layout->addWidget(table_, 1);
    layout->addWidget(detail_);
    layout->addWidget(ackError_);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(count_, 1);
    bottom->addWidget(ackButton_);
    layout->addLayout(bottom);
    updateAckButton();

    connect(&session_, &twin::Session::opened, this, [this] {
        columnsFitted_ = false;
        model_->setEvents({});   // another store: nothing shown so far carries over
        reload();
    });
    connect(&session_, &twin::Session::dataGrew, this, &EventListPanel::reload);
    connect(&session_.clock(), &twin::Clock::timeChanged, model_, &EventTableModel::setTime);
    reload();
}

void EventListPanel::reload() {
    std::vector<twin::Event> events;
    const twin::TimeSpan span = session_.clock().span();
    if (session_.isOpen() && !span.empty) events = session_.reader().events(span.first, span.last);
    model_->setTime(session_.clock().time());
    model_->setEvents(std::move(events));
    fillKindFilter();
    // Fit the columns to the first events of a store, then leave the user's widths alone.
    if (!columnsFitted_ && model_->rowCount() > 0) {
        fitColumns();
        columnsFitted_ = true;
    }
    updateCount();
}

void EventListPanel::fitColumns() {
    table_->resizeColumnsToContents();
    // Room for the bold of active events; long asset names give way to the text.
    QFont bold = table_->font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    const QString widest = model_->rowCount() > 0 ? model_->index(0, EventTableModel::Time).data().toString()
                                                  : QString("2026-07-15 16:00:00.000 UTC");
    table_->setColumnWidth(EventTableModel::Time, metrics.horizontalAdvance(widest) + 16);
    // The message second and readable; long asset names give way.
    table_->setColumnWidth(EventTableModel::Text, std::min(table_->columnWidth(EventTableModel::Text) + 8, 360));
    // The acknowledgement: one symbol, as narrow as its header.
    table_->setColumnWidth(EventTableModel::Ack, metrics.horizontalAdvance("Ack") + 20);
    for (int c = EventTableModel::Severity; c < EventTableModel::ColumnCount; ++c)
        table_->setColumnWidth(c, std::min(table_->columnWidth(c) * 11 / 10 + 8, 260));
}

void EventListPanel::fillKindFilter() {
    std::set<QString> kinds;
    for (int r = 0; r < model_->rowCount(); ++r) {
        const QString k = model_->index(r, 0).data(EventTableModel::AssetKindRole).toString();
        if (!k.isEmpty()) kinds.insert(k);
    }
    QStringList shown;
    for (int i = 1; i < kind_->count(); ++i) shown << kind_->itemData(i).toString();
    if (shown == QStringList(kinds.begin(), kinds.end())) return;   // live reloads: leave an open popup be
    const QString current = kind_->currentData().toString();
    const QSignalBlocker block(kind_);
    kind_->clear();
    kind_->addItem("All", QString());
    for (const QString& k : kinds) kind_->addItem(k, k);
    // Keep the user's choice across a reload; a kind no longer present falls back to All.
    const int keep = kind_->findData(current);
    kind_->setCurrentIndex(keep < 0 ? 0 : keep);
    filter_->setAssetKind(kind_->currentData().toString());
}

void EventListPanel::updateCount() {
    count_->setText(QString("%1 of %2 events").arg(filter_->rowCount()).arg(model_->rowCount()));
}

int EventListPanel::rowCount() const { return filter_->rowCount(); }

const twin::Event& EventListPanel::eventAt(int visibleRow) const {
    return model_->event(filter_->mapToSource(filter_->index(visibleRow, 0)).row());
}

void EventListPanel::activateRow(int visibleRow) {
    if (visibleRow < 0 || visibleRow >= rowCount()) return;
    const twin::Event event = eventAt(visibleRow);   // a copy: seeking may reload the list
    // A click within a multiple selection (Ctrl, Shift) keeps it; otherwise the row alone.
    const auto rows = selectedRows();
    if (std::find(rows.begin(), rows.end(), visibleRow) == rows.end()) table_->selectRow(visibleRow);
    session_.clock().seek(event.start);
    const views::AssetRef ref = views::resolveAsset(session_, event.asset);
    if (!ref.selection.empty()) session_.select(ref.selection);
    emit eventActivated(event);
}

} // namespace views

namespace views {

int EventListPanel::selectedRow() const {
    const QModelIndex i = table_->selectionModel()->currentIndex();
    return i.isValid() && table_->selectionModel()->isRowSelected(i.row(), {}) ? i.row() : -1;
}

QString EventListPanel::detailText() const { return detail_->text(); }

void EventListPanel::highlightEvent(std::int64_t id) {
    for (int r = 0; r < filter_->rowCount(); ++r) {
        if (eventAt(r).id != id) continue;
        const QModelIndex i = filter_->index(r, EventTableModel::Time);
        table_->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollTo(i, QAbstractItemView::PositionAtCenter);
        return;
    }
}

void EventListPanel::updateDetail() {
    const int r = selectedRow();
    if (r < 0) {
        detail_->clear();
        return;
    }
    const auto cell = [&](int column) { return filter_->index(r, column).data().toString().toHtmlEscaped(); };
    const QString full = filter_->index(r, EventTableModel::Time).data(Qt::ToolTipRole).toString().toHtmlEscaped();
    QString ack;
    const twin::Event& e = eventAt(r);
    if (const auto a = acks_->acknowledgement(e.id))
        ack = "<br>Acknowledged by " + QString::fromStdString(a->by).toHtmlEscaped() + " at " + formatUtcLong(a->at);
    else if (AlarmAcks::acknowledgeable(e))
        ack = "<br>Not acknowledged";
    detail_->setText(QString("<b>%1</b> · %2 · %3<br>%4%5")
                         .arg(full.section('\n', 0, 0), cell(EventTableModel::Severity), cell(EventTableModel::Asset),
                              cell(EventTableModel::Text), ack));
}

std::vector<int> EventListPanel::selectedRows() const {
    std::vector<int> out;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows()) out.push_back(i.row());
    std::sort(out.begin(), out.end());
    return out;
}

void EventListPanel::selectRows(const std::vector<int>& visibleRows) {
    QItemSelection sel;
    for (int r : visibleRows)
        if (r >= 0 && r < rowCount()) sel.select(filter_->index(r, 0), filter_->index(r, EventTableModel::ColumnCount - 1));
    table_->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!visibleRows.empty() && visibleRows.front() >= 0 && visibleRows.front() < rowCount())
        table_->selectionModel()->setCurrentIndex(filter_->index(visibleRows.front(), 0), QItemSelectionModel::NoUpdate);
    updateDetail();
}

int EventListPanel::acknowledgeSelected() {
    std::vector<twin::Event> events;
    for (int r : selectedRows()) events.push_back(eventAt(r));
    const int n = acks_->acknowledge(events);
    if (n >= 0) ackError_->hide();
    updateAckButton();
    return n;
}

void EventListPanel::updateAckButton() {
    bool any = false;
    for (int r : selectedRows()) {
        const twin::Event& e = eventAt(r);
        any = any || (AlarmAcks::acknowledgeable(e) && !acks_->acknowledged(e.id));
    }
    ackButton_->setEnabled(any);
}

std::vector<InputHelp> EventListPanel::inputHelp() {
    return {
        {"Click (event list)", "Seek to the event and select its asset"},
        {"Ctrl+click, Shift+click (event list)", "Select several events"},
        {"Ctrl+K (event list)", "Acknowledge the selected alarms (also the Acknowledge button and the context menu)"},
    };
}

} // namespace views
