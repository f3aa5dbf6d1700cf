#include "wall/wall_layout.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace wall {

namespace {

constexpr const char* kFormat = "colossus-twin-wall-layout";
constexpr int kVersion = 1;

const QStringList kPanelKeys = {"panel", "screen", "row", "column", "row_span", "column_span"};

// Line and column (1-based) of a byte offset in text, for JSON syntax errors.
QString position(const QByteArray& text, int offset) {
    int line = 1, column = 1;
    for (int i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QString("line %1, column %2").arg(line).arg(column);
}

// An integer field of a panel object: absent gives `fallback`; anything but an integer fails.
bool integer(const QJsonObject& o, const char* key, int fallback, int& out, const QString& where, QString* error) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        out = fallback;
        return true;
    }
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || std::abs(d) > 1e6) {
        *error = QString("%1: \"%2\" must be a whole number").arg(where, key);
        return false;
    }
    out = static_cast<int>(d);
    return true;
}

} // namespace

const QStringList& panelNames() {
    static const QStringList names = {"campus3d", "oneline", "load_generation", "frequency", "totals", "alarms"};
    return names;
}

QString panelTitle(const QString& panel) {
    if (panel == "campus3d") return "3D CAMPUS";
    if (panel == "oneline") return "ONE-LINE DIAGRAM";
    if (panel == "load_generation") return "GENERATION BY SOURCE AND LOAD";
    if (panel == "frequency") return "FREQUENCY";
    if (panel == "totals") return "CAMPUS TOTALS";
    if (panel == "alarms") return "ACTIVE ALARMS";
    return panel;
}

Layout defaultLayout() {
    // 4 columns x 3 rows on one screen:
    //   campus3d  campus3d  oneline    alarms
    //   campus3d  campus3d  oneline    alarms
    //   load_gen  load_gen  frequency  totals
    Layout l;
    l.name = "default";
    l.panels = {
        {"campus3d", 0, 0, 0, 2, 2},
        {"oneline", 0, 0, 2, 2, 1},
        {"alarms", 0, 0, 3, 2, 1},
        {"load_generation", 0, 2, 0, 1, 2},
        {"frequency", 0, 2, 2, 1, 1},
        {"totals", 0, 2, 3, 1, 1},
    };
    return l;
}

QByteArray toJson(const Layout& layout) {
    // Written by hand so that the keys keep a readable order (QJsonObject sorts them).
    QByteArray out = "{\n";
    out += QString("  \"format\": \"%1\",\n  \"version\": %2,\n").arg(kFormat).arg(kVersion).toUtf8();
    out += "  \"name\": " + QJsonDocument(QJsonArray{layout.name}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + ",\n";
    out += "  \"panels\": [";
    for (std::size_t i = 0; i < layout.panels.size(); ++i) {
        const PanelPlace& p = layout.panels[i];
        const QByteArray name = QJsonDocument(QJsonArray{p.panel}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
        out += i ? ",\n    " : "\n    ";
        out += QString("{\"panel\": %1, \"screen\": %2, \"row\": %3, \"column\": %4, \"row_span\": %5, \"column_span\": %6}")
                   .arg(QString::fromUtf8(name))
                   .arg(p.screen)
                   .arg(p.row)
                   .arg(p.column)
                   .arg(p.rowSpan)
                   .arg(p.columnSpan)
                   .toUtf8();
    }
    out += "\n  ]\n}\n";
    return out;
}

std::optional<Layout> fromJson(const QByteArray& text, QString* error) {
    QString dummy;
    if (!error) error = &dummy;
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = QString("not valid JSON at %1: %2").arg(position(text, parse.offset), parse.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = "the layout must be a JSON object with a \"panels\" array";
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    for (const QString& key : root.keys())
        if (key != "format" && key != "version" && key != "name" && key != "panels") {
            *error = QString("unknown key \"%1\" (keys: format, version, name, panels)").arg(key);
            return std::nullopt;
        }
    if (root.contains("format") && root.value("format").toString() != kFormat) {
        *error = QString("\"format\" is \"%1\", not \"%2\"").arg(root.value("format").toVariant().toString(), kFormat);
        return std::nullopt;
    }
    if (root.contains("version") && root.value("version").toDouble(-1) != kVersion) {
        *error = QString("version %1 is not supported (this program reads version %2)")
                     .arg(root.value("version").toVariant().toString())
                     .arg(kVersion);
        return std::nullopt;
    }
    if (root.contains("name") && !root.value("name").isString()) {
        *error = "\"name\" must be a string";
        return std::nullopt;
    }
    if (!root.value("panels").isArray()) {
        *error = root.contains("panels") ? "\"panels\" must be an array" : "no \"panels\" array";
        return std::nullopt;
    }
    Layout l;
    l.name = root.value("name").toString();
    const QJsonArray panels = root.value("panels").toArray();
    for (qsizetype i = 0; i < panels.size(); ++i) {
        const QString where = QString("panel %1").arg(i + 1);
        if (!panels[i].isObject()) {
            *error = where + ": must be an object such as {\"panel\": \"alarms\", \"row\": 0, \"column\": 0}";
            return std::nullopt;
        }
        const QJsonObject o = panels[i].toObject();
        for (const QString& key : o.keys())
            if (!kPanelKeys.contains(key)) {
                *error = QString("%1: unknown key \"%2\" (keys: %3)").arg(where, key, kPanelKeys.join(", "));
                return std::nullopt;
            }
        if (!o.value("panel").isString()) {
            *error = where + ": no \"panel\" name (one of " + panelNames().join(", ") + ")";
            return std::nullopt;
        }
        PanelPlace p;
        p.panel = o.value("panel").toString();
        if (!integer(o, "screen", 0, p.screen, where, error) || !integer(o, "row", -1, p.row, where, error) ||
            !integer(o, "column", -1, p.column, where, error) || !integer(o, "row_span", 1, p.rowSpan, where, error) ||
            !integer(o, "column_span", 1, p.columnSpan, where, error))
            return std::nullopt;
        if (!o.contains("row") || !o.contains("column")) {
            *error = QString("%1 (\"%2\"): \"row\" and \"column\" are required").arg(where, p.panel);
            return std::nullopt;
        }
        l.panels.push_back(p);
    }
    if (QString problem = validate(l); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    return l;
}

QString validate(const Layout& layout) {
    if (layout.panels.empty()) return "the layout has no panels";
    for (std::size_t i = 0; i < layout.panels.size(); ++i) {
        const PanelPlace& p = layout.panels[i];
        const QString where = QString("panel %1 (\"%2\")").arg(i + 1).arg(p.panel);
        if (!panelNames().contains(p.panel))
            return QString("panel %1: unknown panel \"%2\" (panels: %3)").arg(i + 1).arg(p.panel, panelNames().join(", "));
        if (p.screen < 0 || p.screen >= kMaxScreens)
            return QString("%1: screen %2 is outside 0-%3").arg(where).arg(p.screen).arg(kMaxScreens - 1);
        if (p.row < 0 || p.column < 0) return where + ": row and column start at 0";
        if (p.rowSpan < 1 || p.columnSpan < 1) return where + ": row_span and column_span must be 1 or more";
        if (p.row + p.rowSpan > kMaxGrid || p.column + p.columnSpan > kMaxGrid)
            return QString("%1: reaches beyond a %2 x %2 grid").arg(where).arg(kMaxGrid);
        for (std::size_t j = 0; j < i; ++j) {
            const PanelPlace& q = layout.panels[j];
            if (q.panel == p.panel)
                return QString("%1: the panel is already placed (panel %2); each panel appears once").arg(where).arg(j + 1);
            const bool overlap = q.screen == p.screen && p.row < q.row + q.rowSpan && q.row < p.row + p.rowSpan &&
                                 p.column < q.column + q.columnSpan && q.column < p.column + p.columnSpan;
            if (overlap)
                return QString("%1 overlaps panel %2 (\"%3\") on screen %4")
                    .arg(where)
                    .arg(j + 1)
                    .arg(q.panel)
                    .arg(p.screen);
        }
    }
    return {};
}

std::optional<Layout> loadLayout(const QString& file, QString* error) {
    QString dummy;
    if (!error) error = &dummy;
    QFile f(file);
    if (!f.exists()) {
        *error = file + ": no such file";
        return std::nullopt;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        *error = file + ": cannot read it (" + f.errorString() + ")";
        return std::nullopt;
    }
    const QByteArray text = f.readAll();
    QString problem;
    auto layout = fromJson(text, &problem);
    if (!layout) *error = file + ": " + problem;
    return layout;
}

QString saveLayout(const Layout& layout, const QString& file) {
    if (QString problem = validate(layout); !problem.isEmpty()) return file + ": not saved: " + problem;
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly)) return file + ": cannot write it (" + f.errorString() + ")";
    f.write(toJson(layout));
    if (!f.commit()) return file + ": cannot write it (" + f.errorString() + ")";
    return {};
}

int screensUsed(const Layout& layout) {
    int n = 0;
    for (const PanelPlace& p : layout.panels) n = std::max(n, p.screen + 1);
    return n;
}

QSize gridOf(const std::vector<PanelPlace>& panels) {
    int rows = 0, columns = 0;
    for (const PanelPlace& p : panels) {
        rows = std::max(rows, p.row + p.rowSpan);
        columns = std::max(columns, p.column + p.columnSpan);
    }
    return {columns, rows};
}

std::vector<std::vector<PanelPlace>> assignToScreens(const Layout& layout, int screenCount) {
    const int used = screensUsed(layout);
    const int n = std::min(used, std::max(1, screenCount));
    std::vector<std::vector<PanelPlace>> out(static_cast<std::size_t>(n));
    for (int s = 0; s < used; ++s) {
        std::vector<PanelPlace> mine;
        for (const PanelPlace& p : layout.panels)
            if (p.screen == s) mine.push_back(p);
        const int target = std::min(s, n - 1);
        auto& dest = out[static_cast<std::size_t>(target)];
        // Folded onto a screen that already holds panels: to the right of them.
        const int shift = s == target ? 0 : gridOf(dest).width();
        for (PanelPlace p : mine) {
            p.screen = target;
            p.column += shift;
            dest.push_back(p);
        }
    }
    return out;
}

QRect cellRect(const QRect& area, QSize grid, const PanelPlace& place, int gap) {
    const int columns = std::max(1, grid.width()), rows = std::max(1, grid.height());
    // Edges of column i: x(i) = left + i * (width + gap) / columns; a cell ends a gap before the next.
    auto edge = [gap](int origin, int length, int parts, int i) {
        return origin + static_cast<int>(std::lround(static_cast<double>(i) * (length + gap) / parts));
    };
    const int x0 = edge(area.x(), area.width(), columns, place.column);
    const int x1 = edge(area.x(), area.width(), columns, place.column + place.columnSpan) - gap;
    const int y0 = edge(area.y(), area.height(), rows, place.row);
    const int y1 = edge(area.y(), area.height(), rows, place.row + place.rowSpan) - gap;
    return QRect(QPoint(x0, y0), QSize(std::max(0, x1 - x0), std::max(0, y1 - y0)));
}

} // namespace wall
