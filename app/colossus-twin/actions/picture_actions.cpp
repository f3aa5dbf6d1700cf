#include "actions/picture_actions.h"

#include "review/export_actions.h"

#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>

namespace actions {

using namespace twin;

namespace {

void pictureOf(QWidget* parent, Session& session, QWidget* w, const QString& what) {
    const QString file = QFileDialog::getSaveFileName(parent, "Save a picture of " + what, suggestedName(session, ".png"), "PNG (*.png)");
    if (file.isEmpty()) return;
    if (QString e = review::savePicture(w, file); !e.isEmpty()) QMessageBox::warning(parent, "Picture not saved", e);
}

} // namespace

PictureOfWindowAction::PictureOfWindowAction(QMenu* menu, QMainWindow* window, Session& session)
    : ExportAction(menu, "Picture of the &window…", window, session) {}

void PictureOfWindowAction::onTriggered(bool) { pictureOf(window_, session_, window_, "the window"); }

PictureOfViewMenu::PictureOfViewMenu(QMenu* menu, QMainWindow* window, Session& session)
    : QObject(menu->addMenu("Picture of a &view")), menu_(static_cast<QMenu*>(parent())), window_(window), session_(session) {
    connect(menu_, &QMenu::aboutToShow, this, &PictureOfViewMenu::fill);
}

void PictureOfViewMenu::fill() {
    menu_->clear();
    for (const auto& [title, w] : picturableViews(window_))
        menu_->addAction(title + "…", this, [this, w = w, title = title] { pictureOf(window_, session_, w, title); });
}

} // namespace actions
