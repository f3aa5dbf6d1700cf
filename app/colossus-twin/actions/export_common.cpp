#include "actions/export_common.h"

#include "campus3d/campus_view.h"
#include "common/time_format.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QTimeZone>

#include <algorithm>

namespace actions {

using namespace twin;

ExportAction::ExportAction(QMenu* menu, const QString& text, QMainWindow* window, Session& session)
    : MenuAction(menu, text), window_(window), session_(session) {}

RangeDialog::RangeDialog(QWidget* parent, Session& session, const QString& title, Purpose purpose) : QDialog(parent) {
    setWindowTitle(title);
    auto* form = new QFormLayout(this);
    const TimeSpan sp = session.clock().span();
    const TimeMs t = session.clock().time();
    auto edit = [&](TimeMs value) {
        auto* e = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(value, QTimeZone::utc()));
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat("yyyy-MM-dd HH:mm:ss.zzz 'UTC'");
        e->setDateTimeRange(QDateTime::fromMSecsSinceEpoch(sp.first, QTimeZone::utc()),
                            QDateTime::fromMSecsSinceEpoch(sp.last, QTimeZone::utc()));
        return e;
    };
    fromLoop_ = session.clock().hasLoop();
    const TimeSpan loop = session.clock().loop();
    from = edit(fromLoop_ ? loop.first : std::max(sp.first, t - 30'000));
    to = edit(fromLoop_ ? loop.last : std::min(sp.last, t + 120'000));
    auto* origin = new QLabel(fromLoop_ ? "The review loop" : "30 s before to 2 min after the clock");
    origin->setObjectName("rangeOrigin");
    form->addRow("Range", origin);
    form->addRow("From", from);
    form->addRow("To", to);
    if (purpose == Slice) {
        perGpu = new QCheckBox("Per-GPU data (every GPU's power, utilisation, temperature)");
        perGpu->setObjectName("perGpuData");
        perGpu->setChecked(true);
        perGpu->setToolTip("Unchecked: the slice leaves out the per-GPU series (by far its largest part); racks, halls, "
                           "plant, jobs and events stay");
        form->addRow("Include", perGpu);
    }
    if (purpose == Sequence) {
        step = new QDoubleSpinBox;
        step->setRange(0.05, 3600);
        step->setValue(1);
        step->setSuffix(" s");
        form->addRow("One picture every", step);
        fps = new QDoubleSpinBox;
        fps->setRange(1, 60);
        fps->setValue(10);
        fps->setSuffix(" pictures/s");
        form->addRow("Video (with ffmpeg)", fps);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

TimeMs RangeDialog::t0() const { return from->dateTime().toMSecsSinceEpoch(); }
TimeMs RangeDialog::t1() const { return to->dateTime().toMSecsSinceEpoch(); }
bool RangeDialog::perGpuData() const { return !perGpu || perGpu->isChecked(); }

std::function<bool(double)> progressOf(QProgressDialog& dialog) {
    return [&dialog](double f) {
        dialog.setValue(static_cast<int>(f * 1000));
        return !dialog.wasCanceled();
    };
}

std::vector<std::pair<QString, QWidget*>> picturableViews(QMainWindow* window) {
    std::vector<std::pair<QString, QWidget*>> out;
    if (auto* campus = window->findChild<views::CampusView*>()) out.push_back({"3D campus", campus});
    for (auto* dock : window->findChildren<QDockWidget*>())
        if (dock->isVisible() && dock->widget()) out.push_back({dock->windowTitle(), dock->widget()});
    return out;
}

QString suggestedName(Session& session, const QString& suffix) {
    const QFileInfo f(QString::fromStdString(session.path()));
    const QString stamp = views::formatUtcClock(session.clock().time()).replace(':', "");
    return QDir(f.absolutePath()).filePath(f.completeBaseName() + "-" + stamp + suffix);
}

bool storeIsOpen(QMainWindow* window, Session& session) {
    if (session.isOpen()) return true;
    QMessageBox::information(window, "Export", "Open a store first.");
    return false;
}

} // namespace actions
