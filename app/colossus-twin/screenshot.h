// --screenshot: render the window once at the chosen time and viewpoint, save it, exit.
#pragma once

#include <QSize>
#include <QString>

class MainWindow;

// Waits for the 3D view's first frames, grabs the whole window and saves it as PNG.
// Returns an error message, or an empty string on success.
QString saveScreenshot(MainWindow& window, const QString& file, QSize size);
