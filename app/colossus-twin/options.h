// colossus-twin's command line: what the user asked for, checked, before a window exists.
// main.cpp composes the desk window or the wall from it.
#pragma once

#include "bus_options.h"
#include "desk_layout.h"
#include "wall/wall_app.h"

#include "twin/store.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace colossus_twin {

struct Options {
    enum class Mode { Desk, Wall, SaveWallLayout, Check, Salvage };
    Mode mode = Mode::Desk;

    // The desk window. --colour, --at and --view are checked once the store is open (--at counts
    // from its start, --view names its assets), as they always were: without a store they do nothing.
    QString store;                         // "": none
    std::optional<QString> at, view, colour, compare;
    std::optional<DeskPreset> layout;
    bool live = false;
    std::optional<QString> screenshot;     // --screenshot FILE
    QSize size{1280, 720};                 // --size (the window; the picture with --screenshot)
    bool sizeGiven = false;                // the wall: --size without --screenshot shows ordinary windows

    // --wall: everything checked here; the layout loaded (--wall-layout).
    wall::WallOptions wall;
    // --save-wall-layout FILE: the layout to write (wall.layout) and where.
    QString saveWallLayoutTo;
    // --salvage OUT: where the readable part of `store` goes (--check reads `store` only).
    QString salvageTo;
    // A nats:// or tls:// store (desk, wall): --bus-ca, --bus-cert, --bus-key.
    app_nats::BusOptions bus;
};

struct ParsedOptions {
    enum class Kind { Run, Help, HelpAll, Version, Error };
    Kind kind = Kind::Run;
    Options options;   // Kind::Run
    QString text;      // Kind::Help: the help; Kind::Error: the one-line message (without "colossus-twin: ")
};

// `arguments` as QCoreApplication::arguments() gives them (the program first).
ParsedOptions parseOptions(const QStringList& arguments);

// --help-all: Qt's help with its own generic options, which only QCommandLineParser::process()
// prints; it exits. Needs the QApplication.
[[noreturn]] void showHelpAllAndExit();

// "2026-07-15T16:02:00Z" (UTC; no zone means UTC), or "+90" / "90s" / "90" seconds after the
// start of the recording; nullopt if it is neither.
std::optional<twin::TimeMs> parseTime(const QString& text, const twin::TimeSpan& span);

// The errors that the desk window can only tell once the store is open, worded as parseOptions's.
QString badTimeError(const QString& text);        // --at
QString unknownColourError(const QString& name);  // --colour

} // namespace colossus_twin
