// render-bench: the 3D campus on this machine's renderer (run it under a display, e.g.
// `xvfb-run -a build/bin/render-bench`), on the default ~1M-GPU campus at 1280x720.
//
//   build/bin/render-bench [--store FILE.twin] [--frames N]
//
// Without --store it records 20 s of steady-training (every GPU) first. Prints medians of:
// the frame time for the campus overview with the level of detail (far buildings' halls as
// heat maps on their roofs) and, as the baseline, the same view with every rack drawn, and
// their ratio; the frame time for a close view of one hall, the time to compute
// one tick of state (every GPU, rack and unit) and to apply it to the scene, and the time from
// start to the first frame.
#include "campus3d/campus_view.h"
#include "common/legend_bar.h"

#include "default_recording.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace twin;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    QElapsedTimer sinceStart;
    sinceStart.start();
    std::string store;
    int frames = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--store") store = argv[i + 1];
        else if (a == "--frames") frames = std::max(3, std::atoi(argv[i + 1]));
    }
    QApplication app(argc, argv);
    try {
        if (store.empty()) {
            store = defaultRecording("render-bench.twin");
            sinceStart.restart();   // measure start-up without the recording
        }
        Session session;
        session.open(store);
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* view = new views::CampusView(session);
        layout->addWidget(view);
        view->setFixedSize(1280, 720);
        view->setFinishEachFrame(true);
        std::vector<double> frameMs;
        double firstFrameMs = -1;
        QObject::connect(view, &views::CampusView::frameDrawn, [&](double ms) {
            if (firstFrameMs < 0) firstFrameMs = static_cast<double>(sinceStart.elapsed());
            frameMs.push_back(ms);
        });
        window.show();
        auto drawFrames = [&](int n) {
            frameMs.clear();
            for (int i = 0; i < n + 2; ++i) {   // the first two build GL objects
                view->repaint();
                QApplication::processEvents();
            }
            if (frameMs.size() > 2) frameMs.erase(frameMs.begin(), frameMs.begin() + 2);
            return median(frameMs);
        };
        while (firstFrameMs < 0 && sinceStart.elapsed() < 30000) QApplication::processEvents(QEventLoop::AllEvents, 10);
        view->flyTo("campus", false);
        const double overview = drawFrames(frames);
        std::size_t heatMapBuildings = 0;
        for (AssetIndex b : session.campus().assetsOfKind(AssetKind::Building))
            heatMapBuildings += view->scene()->racksShown(b) ? 0 : 1;
        view->scene()->setLevelOfDetail(false);
        const double overviewAllRacks = drawFrames(frames);
        view->scene()->setLevelOfDetail(true);
        const AssetIndex hall = session.campus().assetsOfKind(AssetKind::Hall).front();
        view->lookAt(hall, 120);
        const double close = drawFrames(frames);

        // One tick: the state of everything at the next time, then the scene's colours.
        std::vector<double> stateMs, applyPower, applyUtil;
        const TimeSpan span = session.clock().span();
        for (int k = 0; k < 15; ++k) {
            const auto t0 = std::chrono::steady_clock::now();
            session.clock().seek(span.first + 1000 * (k % 20));   // recomputes the state, applies it
            const auto t1 = std::chrono::steady_clock::now();
            stateMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count() - view->lastApplyMs());
            applyPower.push_back(view->lastApplyMs());
            view->setQuantity(views::RackQuantity::Utilisation);   // rack colours from 1M GPU values
            applyUtil.push_back(view->lastApplyMs());
            view->setQuantity(views::RackQuantity::Power);
        }
        std::printf("campus: %s, %lld GPUs, %zu racks, window 1280x720\n", session.campus().name.c_str(),
                    static_cast<long long>(session.campus().gpuCount()), session.campus().racks().size());
        std::printf("%-62s %9.1f ms   (target <= 25)\n", "frame, campus overview, level of detail (median)", overview);
        std::printf("%-62s %9.1f ms\n", "  baseline: the same view, every rack drawn (median)", overviewAllRacks);
        std::printf("%-62s %9.1f x   (target >= 2)\n", "  speed-up", overview > 0 ? overviewAllRacks / overview : 0.0);
        std::printf("%-62s %9zu of %zu\n", "  buildings drawn as roof heat maps in the overview", heatMapBuildings,
                    session.campus().assetsOfKind(AssetKind::Building).size());
        std::printf("%-62s %9.1f ms\n", "frame, close view of one hall (median)", close);
        std::printf("%-62s %9.2f ms\n", "one tick: state of every GPU, rack and unit at t (median)", median(stateMs));
        std::printf("%-62s %9.2f ms   (target <= 5)\n", "one tick applied to the scene, racks by power (median)", median(applyPower));
        std::printf("%-62s %9.2f ms   (target <= 5)\n", "one tick applied, racks by utilisation of 1M GPUs (median)", median(applyUtil));
        std::printf("%-62s %9.0f ms   (target <= 3000)\n", "start to first frame", firstFrameMs);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "render-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
