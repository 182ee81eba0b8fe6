package dev.permafrost.heapdump;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The page map of a process's view of a store, as a picture a person reads at a glance: one
 * cell per page (or per run of pages, so a 1 GiB store still fits in about 650 pixels), white
 * where the process never touched the page, grey-blue where it shares the file's page, and in
 * a type's colour where it copied it. A cell of several pages shows its copied pages first
 * (the type that copied most of them), then sharing, then absence: a single copied page is
 * never hidden.
 */
final class PageMapPicture {
    /** Most cells drawn; above it pages are grouped into cells. */
    static final int MAX_CELLS = 128 * 128;
    private static final int MARGIN = 12;
    private static final int TITLE_HEIGHT = 34;
    private static final int LEGEND_LINE = 16;
    private static final Color ABSENT = new Color(0xFFFFFF);
    private static final Color SHARED = new Color(0xC9D6E3);
    private static final Color GRID = new Color(0xEEEEEE);
    private static final Color[] TYPE_COLORS = {
        new Color(0xE15759), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xB07AA1), new Color(0x9C755F),
        new Color(0xEDC948), new Color(0xFF9DA7), new Color(0x76B7B2), new Color(0x4E79A7),
    };
    private static final Color OTHER = new Color(0x333333);

    private final String title;
    private final byte[] states;
    private final int[] pageTypes;
    private final List<String> typeNames;
    private final int[] colorOfType;
    private final List<String> legendTypes = new ArrayList<>();
    private final int pagesPerCell;
    private final int cells;
    private final int columns;
    private final int cellPx;

    /**
     * Prepares a picture.
     *
     * @param title     the first line
     * @param analysis  the pages and their attribution
     */
    PageMapPicture(String title, CopyAnalysis analysis) {
        this.title = title;
        this.states = analysis.states();
        this.pageTypes = analysis.pageTypes();
        List<CopyAnalysis.TypeRow> all = analysis.typesByIndex();
        this.typeNames = all.stream().map(r -> r.type).toList();
        this.colorOfType = new int[all.size()];
        List<CopyAnalysis.TypeRow> ranked = analysis.byType();
        java.util.Arrays.fill(colorOfType, TYPE_COLORS.length);
        for (int i = 0; i < ranked.size() && i < TYPE_COLORS.length; i++) {
            colorOfType[ranked.get(i).index] = i;
            legendTypes.add(ranked.get(i).type);
        }
        this.pagesPerCell = Math.max(1, (states.length + MAX_CELLS - 1) / MAX_CELLS);
        this.cells = Math.max(1, (states.length + pagesPerCell - 1) / pagesPerCell);
        this.columns = cells <= 1024 ? 32 : 128;
        this.cellPx = cells <= 1024 ? 12 : 5;
    }

    /**
     * Writes the picture as PNG.
     *
     * @param out the file
     */
    void writePng(Path out) {
        int rows = (cells + columns - 1) / columns;
        int width = Math.max(520, columns * cellPx + 2 * MARGIN);
        int height = TITLE_HEIGHT + rows * cellPx + MARGIN + legendHeight();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawString(title, MARGIN, 16);
            g.setColor(Color.DARK_GRAY);
            g.drawString(scale(), MARGIN, 30);
            for (int c = 0; c < cells; c++) {
                int x = MARGIN + (c % columns) * cellPx;
                int y = TITLE_HEIGHT + (c / columns) * cellPx;
                g.setColor(cellColor(c));
                g.fillRect(x, y, cellPx - 1, cellPx - 1);
                g.setColor(GRID);
                g.drawRect(x - 1, y - 1, cellPx, cellPx);
            }
            int y = TITLE_HEIGHT + rows * cellPx + MARGIN;
            for (Legend item : legend()) {
                g.setColor(item.color());
                g.fillRect(MARGIN, y, 10, 10);
                g.setColor(Color.GRAY);
                g.drawRect(MARGIN, y, 10, 10);
                g.setColor(Color.BLACK);
                g.drawString(item.text(), MARGIN + 16, y + 10);
                y += LEGEND_LINE;
            }
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(image, "png", out.toFile())) {
                throw new InspectionException(out, "no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new InspectionException(out, "cannot write the page map: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the picture as SVG (runs of equal cells in a row are one rectangle).
     *
     * @param out the file
     */
    void writeSvg(Path out) {
        int rows = (cells + columns - 1) / columns;
        int width = Math.max(520, columns * cellPx + 2 * MARGIN);
        int height = TITLE_HEIGHT + rows * cellPx + MARGIN + legendHeight();
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
            w.write(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
            w.write(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\">%s</text>%n", MARGIN, escape(title)));
            w.write(String.format(Locale.ROOT, "<text x=\"%d\" y=\"30\" fill=\"#555555\">%s</text>%n", MARGIN, escape(scale())));
            w.write(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eeeeee\"/>%n",
                    MARGIN - 1, TITLE_HEIGHT - 1, columns * cellPx, rows * cellPx));
            for (int row = 0; row < rows; row++) {
                int c = row * columns;
                int end = Math.min(cells, c + columns);
                while (c < end) {
                    Color color = cellColor(c);
                    int run = c + 1;
                    while (run < end && cellColor(run).equals(color)) {
                        run++;
                    }
                    int x = MARGIN + (c % columns) * cellPx;
                    w.write(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                            x, TITLE_HEIGHT + row * cellPx, (run - c) * cellPx - 1, cellPx - 1, hex(color)));
                    c = run;
                }
            }
            int y = TITLE_HEIGHT + rows * cellPx + MARGIN;
            for (Legend item : legend()) {
                w.write(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\" stroke=\"#888888\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>%n", MARGIN, y, hex(item.color()), MARGIN + 16, y + 10, escape(item.text())));
                y += LEGEND_LINE;
            }
            w.write("</svg>\n");
        } catch (IOException e) {
            throw new InspectionException(out, "cannot write the page map: " + e.getMessage(), e);
        }
    }

    private record Legend(Color color, String text) {
    }

    private List<Legend> legend() {
        List<Legend> items = new ArrayList<>();
        items.add(new Legend(ABSENT, "absent: never touched by the process"));
        items.add(new Legend(SHARED, "shared: the file's page, one copy for every process"));
        for (int i = 0; i < legendTypes.size(); i++) {
            items.add(new Legend(TYPE_COLORS[i], "copied: " + legendTypes.get(i)));
        }
        if (typeNames.size() > legendTypes.size()) {
            items.add(new Legend(OTHER, "copied: other types"));
        }
        return items;
    }

    private int legendHeight() {
        return legend().size() * LEGEND_LINE + MARGIN;
    }

    private String scale() {
        return String.format(Locale.ROOT, "%,d pages of 4 KiB; one cell = %d page%s, left to right from offset 0",
                states.length, pagesPerCell, pagesPerCell == 1 ? "" : "s");
    }

    private Color cellColor(int cell) {
        int from = cell * pagesPerCell;
        int to = Math.min(states.length, from + pagesPerCell);
        boolean shared = false;
        int bestType = -1;
        int bestCount = 0;
        int[] counts = pagesPerCell > 1 ? new int[typeNames.size() + 1] : null;
        for (int p = from; p < to; p++) {
            if (states[p] == CopyAnalysis.COPIED) {
                int t = pageTypes[p];
                if (counts == null) {
                    return typeColor(t);
                }
                int k = ++counts[t + 1];
                if (k > bestCount) {
                    bestCount = k;
                    bestType = t;
                }
            } else if (states[p] == CopyAnalysis.SHARED) {
                shared = true;
            }
        }
        if (bestCount > 0) {
            return typeColor(bestType);
        }
        return shared ? SHARED : ABSENT;
    }

    private Color typeColor(int typeIndex) {
        if (typeIndex < 0) {
            return OTHER;
        }
        int c = colorOfType[typeIndex];
        return c < TYPE_COLORS.length ? TYPE_COLORS[c] : OTHER;
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xFFFFFF);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
