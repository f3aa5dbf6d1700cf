// Where the desk's panels are: the default arrangement (fitted to the window, 1280×720 to 4K),
// the four presets for the desk's jobs (Electrical, Compute, Review, Heat map) and the way back to the
// default. The panels are the main window's dock widgets, found by their object names.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QDockWidget;
class QMainWindow;

enum class DeskPreset { Electrical, Compute, Review, HeatMap };

class DeskLayout {
public:
    explicit DeskLayout(QMainWindow& window);

    // Remembers the docks as they are now (after they were added) as the default to reset to.
    void captureDefault();
    // The default: every panel where it was added, the first tab of each side in front, sized
    // for the window's size (side panels about a fifth of the width each, the bottom a third of
    // the height, never under what a panel needs to be readable).
    void reset();
    void apply(DeskPreset preset);

    static QString title(DeskPreset preset);        // "Electrical"
    // What --layout takes: the title in lower case without spaces ("heatmap").
    static QString key(DeskPreset preset);
    static QString description(DeskPreset preset);  // what it shows, for tooltips
    QDockWidget* dock(const QString& objectName) const;
    // The docks shown, in front of their tab group (for tests and the status line).
    QStringList frontDocks() const;

private:
    // `bottom`: the bottom dock in front (its tab group is resized); the one-line diagram's if empty.
    void size(double leftShare, double rightShare, double bottomShare, const QString& bottom = {});
    void show(const QStringList& visible, const QStringList& front);

    QMainWindow& window_;
    QByteArray default_;
};
