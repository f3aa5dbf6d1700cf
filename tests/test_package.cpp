// The picture check of tests/test_package.sh: is a PNG the size expected, and does it show
// something (many colours, saturated ones among them: the campus's racks and plant are drawn
// through a colour map, the window's widgets in greys)? Prints the figures; exit 1 when a bound
// is not met, with one line saying which.
//   test_package IMAGE [--size WxH] [--min-colours N] [--min-saturated PERCENT] [--min-foreground PERCENT]
#include <QColor>
#include <QCoreApplication>
#include <QHash>
#include <QImage>
#include <QStringList>

#include <cstdio>

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "test_package: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);   // QImage needs no display
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.size() % 2 == 0)
        return fail("usage: test_package IMAGE [--size WxH] [--min-colours N] [--min-saturated PERCENT] "
                    "[--min-foreground PERCENT]");
    const QString file = args.takeFirst();
    QString size;
    double minColours = 0, minSaturated = 0, minForeground = 0;
    for (qsizetype i = 0; i < args.size(); i += 2) {
        bool ok = true;
        if (args[i] == "--size") size = args[i + 1];
        else if (args[i] == "--min-colours") minColours = args[i + 1].toDouble(&ok);
        else if (args[i] == "--min-saturated") minSaturated = args[i + 1].toDouble(&ok);
        else if (args[i] == "--min-foreground") minForeground = args[i + 1].toDouble(&ok);
        else return fail("unknown option " + args[i]);
        if (!ok) return fail(args[i] + ": '" + args[i + 1] + "' is not a number");
    }

    QImage image(file);
    if (image.isNull()) return fail(file + ": not a readable image");
    image = image.convertToFormat(QImage::Format_ARGB32);

    // Colours by count; the most common one is the background.
    QHash<QRgb, qint64> counts;
    qint64 saturated = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            ++counts[line[x]];
            const QColor c = QColor::fromRgba(line[x]);
            if (qAlpha(line[x]) > 128 && c.hsvSaturationF() > 0.4 && c.valueF() > 0.25) ++saturated;
        }
    }
    QRgb background = 0;
    qint64 backgroundCount = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > backgroundCount) background = it.key(), backgroundCount = it.value();
    const double pixels = double(image.width()) * image.height();
    const double foregroundPct = 100.0 * (pixels - backgroundCount) / pixels;
    const double saturatedPct = 100.0 * saturated / pixels;
    std::printf("%s: %dx%d, %lld colours, background #%08x, foreground %.1f %%, saturated %.1f %%\n",
                qPrintable(file), image.width(), image.height(), static_cast<long long>(counts.size()), background,
                foregroundPct, saturatedPct);

    const QString actualSize = QString("%1x%2").arg(image.width()).arg(image.height());
    if (!size.isEmpty() && size != actualSize) return fail(file + ": " + actualSize + ", expected " + size);
    if (counts.size() < minColours)
        return fail(file + ": " + QString::number(counts.size()) + " colours, expected at least " +
                    QString::number(minColours));
    if (foregroundPct < minForeground)
        return fail(file + QString(": %1 % of the pixels differ from the background, expected at least %2 %")
                               .arg(foregroundPct, 0, 'f', 1).arg(minForeground));
    if (saturatedPct < minSaturated)
        return fail(file + QString(": %1 % saturated pixels, expected at least %2 %")
                               .arg(saturatedPct, 0, 'f', 1).arg(minSaturated));
    return 0;
}
