package dev.permafrost.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a suite's medians as an SVG bar chart: one panel per unit, one group of horizontal bars
 * per operation (with its parameters and threads), one bar per subject in a colour of its own
 * (Permafrost always the same blue), the value at the end of each bar, a labelled axis. A panel
 * whose values span more than {@value #LOG_SPAN}× is drawn on a log scale, and says so.
 */
final class SvgChart {
    static final double LOG_SPAN = 30;
    private static final int WIDTH = 980;
    private static final int LABEL_WIDTH = 340;
    private static final int PLOT_WIDTH = 500;
    private static final int BAR_HEIGHT = 13;
    private static final int BAR_GAP = 2;
    private static final int GROUP_GAP = 12;
    private static final String PERMAFROST_COLOUR = "#1565c0";
    private static final String[] PEER_COLOURS = {"#ef6c00", "#6a1b9a", "#2e7d32", "#c62828", "#00838f", "#8d6e63",
        "#9e9d24", "#ad1457", "#546e7a", "#4e342e"};

    /**
     * One bar.
     *
     * @param subject whose result
     * @param value   its median, in the panel's unit
     */
    record Bar(String subject, double value) {
    }

    /**
     * The bars of one table row.
     *
     * @param label the operation, parameters and threads
     * @param bars  one per subject
     */
    record Group(String label, List<Bar> bars) {
    }

    /**
     * The groups that share a unit.
     *
     * @param unit           the values' unit
     * @param higherIsBetter whether longer bars are better
     * @param groups         the groups, top to bottom
     */
    record Panel(String unit, boolean higherIsBetter, List<Group> groups) {
    }

    private SvgChart() {
    }

    /**
     * Draws a chart.
     *
     * @param title  the chart's title
     * @param panels its panels, top to bottom
     * @return the SVG document
     */
    static String render(String title, List<Panel> panels) {
        Map<String, String> colours = colours(panels);
        StringBuilder body = new StringBuilder();
        int y = 30;
        text(body, 10, y, title, "font-size=\"15\" font-weight=\"bold\"");
        y += 22;
        int x = 10;
        for (Map.Entry<String, String> c : colours.entrySet()) { // the legend
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x, y - 10, c.getValue()));
            text(body, x + 16, y, c.getKey(), "");
            x += 28 + 7 * c.getKey().length();
            if (x > WIDTH - 120) {
                x = 10;
                y += 18;
            }
        }
        y += 16;
        for (Panel panel : panels) {
            y = panel(body, panel, colours, y + 10);
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, y + 10, WIDTH, y + 10)
                + String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, y + 10)
                + body + "</svg>\n";
    }

    /** Draws one panel from {@code top}; returns the y below it. */
    private static int panel(StringBuilder out, Panel panel, Map<String, String> colours, int top) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Group g : panel.groups()) {
            for (Bar b : g.bars()) {
                if (Double.isFinite(b.value())) {
                    min = Math.min(min, b.value());
                    max = Math.max(max, b.value());
                }
            }
        }
        if (min > max) { // nothing measured
            min = 0;
            max = 1;
        }
        boolean log = min > 0 && max / min > LOG_SPAN;
        Scale scale = log ? Scale.log(min, max) : Scale.linear(Math.min(0, min), max);
        int plotLeft = LABEL_WIDTH;
        int y = top;
        int plotTop = y;
        for (Group g : panel.groups()) {
            text(out, 10, y + BAR_HEIGHT - 2, g.label(), "font-weight=\"bold\"");
            for (Bar b : g.bars()) {
                text(out, 24, y + 2 * BAR_HEIGHT + BAR_GAP - 2, b.subject(), "fill=\"#444\"");
                if (Double.isFinite(b.value()) && (!log || b.value() > 0)) {
                    double from = scale.x(log ? scale.low : Math.max(scale.low, 0));
                    double to = scale.x(b.value());
                    double left = Math.min(from, to);
                    out.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s %s</title></rect>%n",
                            plotLeft + left, y + BAR_HEIGHT + BAR_GAP, Math.max(1, Math.abs(to - from)), BAR_HEIGHT,
                            colours.get(b.subject()), escape(b.subject()), escape(Targets.fmt(b.value())), escape(panel.unit())));
                    text(out, (int) Math.round(plotLeft + Math.max(from, to) + 4), y + 2 * BAR_HEIGHT + BAR_GAP - 2,
                            Targets.fmt(b.value()), "");
                } else {
                    text(out, plotLeft + 4, y + 2 * BAR_HEIGHT + BAR_GAP - 2, "no result", "fill=\"#c62828\"");
                }
                y += BAR_HEIGHT + BAR_GAP;
            }
            y += BAR_HEIGHT + GROUP_GAP;
        }
        int plotBottom = y;
        // axis and ticks
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                plotLeft, plotBottom, plotLeft + PLOT_WIDTH, plotBottom));
        for (double tick : scale.ticks()) {
            double tx = plotLeft + scale.x(tick);
            out.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", tx, plotTop, tx, plotBottom));
            out.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n", tx, plotBottom, tx, plotBottom + 4));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    tx, plotBottom + 16, escape(Targets.fmt(tick))));
        }
        String axis = "median, " + panel.unit() + (log ? " (log scale)" : "") + "; "
                + (panel.higherIsBetter() ? "longer is better" : "shorter is better");
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-style=\"italic\">%s</text>%n",
                plotLeft + PLOT_WIDTH / 2, plotBottom + 32, escape(axis)));
        return plotBottom + 44;
    }

    private static Map<String, String> colours(List<Panel> panels) {
        Map<String, String> colours = new LinkedHashMap<>();
        List<String> subjects = new ArrayList<>();
        for (Panel p : panels) {
            for (Group g : p.groups()) {
                for (Bar b : g.bars()) {
                    if (!subjects.contains(b.subject())) {
                        subjects.add(b.subject());
                    }
                }
            }
        }
        if (subjects.remove("Permafrost")) {
            colours.put("Permafrost", PERMAFROST_COLOUR);
        }
        for (int i = 0; i < subjects.size(); i++) {
            colours.put(subjects.get(i), PEER_COLOURS[i % PEER_COLOURS.length]);
        }
        return colours;
    }

    private static void text(StringBuilder out, int x, int y, String text, String attributes) {
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y,
                attributes.isEmpty() ? "" : " " + attributes, escape(text)));
    }

    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }

    /** Maps values to x offsets within the plot. */
    private static final class Scale {
        final double low;
        final double high;
        final boolean log;

        private Scale(double low, double high, boolean log) {
            this.low = low;
            this.high = high;
            this.log = log;
        }

        static Scale log(double min, double max) {
            return new Scale(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max))), true);
        }

        static Scale linear(double min, double max) {
            double step = niceStep((max - min) / 5);
            double low = Math.floor(min / step) * step;
            double high = Math.ceil(max / step) * step;
            return new Scale(low, high == low ? low + step : high, false);
        }

        double x(double value) {
            double at = log ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                    : (value - low) / (high - low);
            return Math.max(0, Math.min(1, at)) * PLOT_WIDTH;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                int decades = (int) Math.round(Math.log10(high / low));
                for (double d = low; d <= high * 1.0001; d *= 10) {
                    ticks.add(d);
                    if (decades <= 3 && d * 2 < high) {
                        ticks.add(d * 2);
                        ticks.add(d * 5);
                    }
                }
            } else {
                double step = niceStep((high - low) / 5);
                for (double v = low; v <= high + step / 1000; v += step) {
                    ticks.add(Math.abs(v) < step / 1e6 ? 0 : v);
                }
            }
            return ticks;
        }

        private static double niceStep(double raw) {
            if (!(raw > 0)) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / magnitude;
            return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
        }
    }
}
