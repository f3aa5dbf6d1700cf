#include "support/widgets.h"

#include <QWidget>
#include <QtTest>

namespace testsupport {

void showWidget(QWidget& w, int width, int height) {
    w.resize(width, height);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCoreApplication::processEvents();
}

} // namespace testsupport
