// electrical-bench: the electrical view over a 24-hour recording of the default campus (run it
// under a display, e.g. `xvfb-run -a build/bin/electrical-bench`).
//
//   build/bin/electrical-bench [--store FILE.twin] [--moves N] [--screenshot FILE.png] [--size WxH]
//
// Without --store it records a day of turbine-trip on the default campus first (plant, halls
// and jobs at their rates, no per-GPU series: about 5 minutes and 2.6 GB, kept in the temporary
// directory for the next run). Then it moves the clock N times to random times of the day and
// prints medians of: the state at the new time plus the diagram's values, the diagram's redraw,
// and each of the six strip charts' redraw (cursor moved, drawn, glFinish). It also prints what a
// chart costs to reload its data (the wheel zooming: the whole day, then one hour).
#include "electrical/one_line_diagram.h"
#include "electrical/power_charts_panel.h"
#include "electrical/strip_chart.h"

#include "default_recording.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QSplitter>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace twin;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    std::string store;
    int moves = 40;
    std::string screenshot;   // the window after the run, to look at
    int width = 1800, height = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--store") store = argv[i + 1];
        else if (a == "--moves") moves = std::max(3, std::atoi(argv[i + 1]));
        else if (a == "--screenshot") screenshot = argv[i + 1];
        else if (a == "--size") std::sscanf(argv[i + 1], "%dx%d", &width, &height);
    }
    QApplication app(argc, argv);
    try {
        if (store.empty()) store = recording("electrical-bench-24h.twin", "turbine-trip", 86400, false);
        Session session;
        session.open(store);
        // The app's bottom docks on a 1920x1080 screen: the diagram above the six charts.
        QSplitter window(Qt::Vertical);
        auto* diagram = new views::OneLineDiagram(session);
        auto* charts = new views::PowerChartsPanel(session);
        window.addWidget(diagram);
        window.addWidget(charts);
        window.resize(width, height);
        window.setSizes({height * 2 / 5, height * 3 / 5});
        window.show();
        for (int i = 0; i < 20; ++i) QApplication::processEvents(QEventLoop::AllEvents, 20);
        diagram->setAnimated(false);   // the benchmark draws; the animation timer would too
        diagram->fitDiagram();
        const TimeSpan span = session.clock().span();
        std::mt19937_64 rng(7);
        std::uniform_int_distribution<TimeMs> at(span.first, span.last);
        const auto all = charts->charts();
        // Something in the "selected asset" chart: the first turbine.
        session.select({session.campus().assetsOfKind(AssetKind::Turbine).front()});
        for (int i = 0; i < 5; ++i) QApplication::processEvents(QEventLoop::AllEvents, 20);
        // The selection opened the details at the turbine; the benchmark draws the whole details
        // (every item), as fitted before the overview level existed.
        {
            const QRectF r = diagram->layout().bounds;
            const QSize v = diagram->viewport()->size();
            diagram->showDetail(r.center(), std::min(v.width() / r.width(), v.height() / r.height()) * 0.98);
        }

        std::vector<double> seekMs, diagramMs;
        std::vector<std::vector<double>> chartMs(all.size()), chartFullMs(all.size());
        std::vector<double> windowMs;
        for (int k = 0; k < moves + 2; ++k) {   // the first two warm caches up
            auto t0 = std::chrono::steady_clock::now();
            session.clock().seek(at(rng));   // the state at t; the diagram's labels and flows
            const double seek = msSince(t0);
            t0 = std::chrono::steady_clock::now();
            {   // the diagram's own drawing: its scene into an image of its size
                QImage image(diagram->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
                QPainter painter(&image);
                diagram->render(&painter);
            }
            const double draw = msSince(t0);
            std::vector<double> perChart;
            for (auto* c : all) perChart.push_back(c->drawNow());   // cursor moved: drawn, glFinish
            std::vector<double> perChartFull;
            for (auto* c : all) perChartFull.push_back(c->drawNow(true));   // VTK renders it all again
            // Everything the window shows after a clock move, composed on screen.
            session.clock().seek(at(rng));
            t0 = std::chrono::steady_clock::now();
            window.repaint();
            const double whole = msSince(t0);
            if (k < 2) continue;
            windowMs.push_back(whole);
            for (std::size_t i = 0; i < all.size(); ++i) chartFullMs[i].push_back(perChartFull[i]);
            seekMs.push_back(seek);
            diagramMs.push_back(draw);
            for (std::size_t i = 0; i < all.size(); ++i) chartMs[i].push_back(perChart[i]);
        }
        // Reloading data: the whole day, then one hour in the middle (what a wheel step costs).
        std::vector<double> reloadDay(all.size()), reloadHour(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            std::vector<double> day, hour;
            for (int k = 0; k < 3; ++k) {
                all[i]->setRange(span.first, span.last);
                day.push_back(all[i]->lastReloadMs());
                const TimeMs mid = span.first + (span.last - span.first) / 2;
                all[i]->setRange(mid, mid + 3'600'000);
                hour.push_back(all[i]->lastReloadMs());
            }
            reloadDay[i] = median(day);
            reloadHour[i] = median(hour);
        }

        if (!screenshot.empty()) {
            for (auto* c : all) c->showWholeRecording();
            session.clock().seek(span.first + (span.last - span.first) / 3 + 90'000);   // just after the trip
            for (int i = 0; i < 10; ++i) QApplication::processEvents(QEventLoop::AllEvents, 20);
            window.grab().save(QString::fromStdString(screenshot));
        }
        std::printf("store: %s, %.1f h, campus %s\n", store.c_str(), static_cast<double>(span.last - span.first) / 3.6e6,
                    session.campus().name.c_str());
        std::printf("window %dx%d: diagram %dx%d (%d elements), six charts of %dx%d; %d clock moves\n",
                    width, height, diagram->width(), diagram->height(), diagram->itemCount(), all[0]->width(), all[0]->height(), moves);
        std::printf("%-58s %8.2f ms\n", "clock move: state at t + diagram values (median)", median(seekMs));
        std::printf("%-58s %8.2f ms   (target <= 16)\n", "diagram redraw, values at the new time (median)", median(diagramMs));
        for (std::size_t i = 0; i < all.size(); ++i) {
            const std::string name = "chart redraw: " + all[i]->title().toStdString() + " (" + std::to_string(all[i]->seriesCount()) + " series)";
            std::printf("%-58s %8.2f ms   (target <= 16; full VTK render %.1f ms)\n", name.c_str(), median(chartMs[i]),
                        median(chartFullMs[i]));
        }
        std::printf("%-58s %8.2f ms\n", "whole window after a clock move, composed (median)", median(windowMs));
        for (std::size_t i = 0; i < all.size(); ++i) {
            const std::string name = "chart reload, whole day / one hour: " + all[i]->title().toStdString();
            std::printf("%-58s %8.1f / %.1f ms\n", name.c_str(), reloadDay[i], reloadHour[i]);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "electrical-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
