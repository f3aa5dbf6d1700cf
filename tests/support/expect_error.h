// Expected errors: a call that must throw twin::Error naming the file it is about.
#pragma once

#include "twin/error.h"

#include <QtTest>

#include <string>

namespace testsupport {

// Expects `f` to throw twin::Error whose message names `file` and contains `problemText`
// (case-insensitive); fails the test otherwise.
template <typename F> void expectError(F&& f, const std::string& file, const std::string& problemText) {
    const QString problem = QString::fromStdString(problemText);
    try {
        f();
    } catch (const twin::Error& e) {
        const QString msg = QString::fromStdString(e.what());
        QVERIFY2(msg.contains(QString::fromStdString(file)), qPrintable("no file name in: " + msg));
        QVERIFY2(msg.contains(problem, Qt::CaseInsensitive), qPrintable("expected '" + problem + "' in: " + msg));
        return;
    }
    QFAIL(qPrintable("no twin::Error for " + problem));
}

} // namespace testsupport
