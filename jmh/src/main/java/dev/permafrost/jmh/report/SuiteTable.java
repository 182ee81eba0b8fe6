package dev.permafrost.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite's results as rows: one row per operation, parameters and thread count, one cell per
 * subject; and each Permafrost cell's ratio to the best peer of its row.
 */
final class SuiteTable {
    /** The subject whose cells get a ratio. */
    static final String PERMAFROST = "Permafrost";

    /**
     * One row.
     *
     * @param operation the operation
     * @param params    the parameters, {@code name=value} space-separated
     * @param threads   the thread count
     * @param cells     one result per subject, in the order read
     */
    record Row(String operation, String params, int threads, List<Result> cells) {
        /** {@return the label of the row in a chart} */
        String label() {
            return operation + (params.isEmpty() ? "" : ", " + params) + (threads == 1 ? "" : ", " + threads + " threads");
        }
    }

    /**
     * A Permafrost cell's comparison with the best peer of its row.
     *
     * @param ratio  Permafrost's median over the peer's, on the comparable scale; {@code NaN} if none
     * @param peer   the best peer's subject, or {@code null}
     * @param better whether Permafrost's value is the better one
     * @param points for results in the unit {@code ratio} (hit ratios), Permafrost's minus the peer's
     *               in percentage points; else {@code NaN}
     * @param note   why there is no ratio, or {@code null}
     */
    record Comparison(double ratio, String peer, boolean better, double points, String note) {
        /** {@return whether the two are equal to the ratio's shown precision} */
        boolean equal() {
            return Math.abs(ratio - 1) < 5e-4;
        }
    }

    private SuiteTable() {
    }

    /** {@return the operation of a result: its {@code @Compared} operation, else its method} */
    static String operation(Result r) {
        return r.operation() != null ? r.operation() : r.method();
    }

    /** {@return the subject of a result: its {@code @Compared} subject, else its class's simple name} */
    static String subject(Result r) {
        return r.subject() != null ? r.subject() : r.simpleClass();
    }

    /**
     * Groups results into rows, in the order rows first appear.
     *
     * @param results a suite's results
     * @return its rows
     */
    static List<Row> rows(List<Result> results) {
        Map<String, List<Result>> rows = new LinkedHashMap<>();
        for (Result r : results) {
            rows.computeIfAbsent(operation(r) + "\u0000" + r.paramsText() + "\u0000" + r.threads(), k -> new ArrayList<>()).add(r);
        }
        List<Row> list = new ArrayList<>();
        for (List<Result> cells : rows.values()) {
            Result first = cells.get(0);
            list.add(new Row(operation(first), first.paramsText(), first.threads(), List.copyOf(cells)));
        }
        return list;
    }

    /**
     * Compares a Permafrost cell with the best measured peer of its row.
     *
     * @param row  the row
     * @param cell one of its Permafrost cells
     * @return the comparison
     */
    static Comparison compare(Row row, Result cell) {
        if (!cell.measured()) {
            return new Comparison(Double.NaN, null, false, Double.NaN, "no measurement");
        }
        Result best = null;
        for (Result peer : row.cells()) {
            if (subject(peer).startsWith(PERMAFROST) || !peer.measured()) {
                continue; // Permafrost, or a setting of it ("Permafrost, AOT cache", "Permafrost, leak tracer on"): not a peer
            }
            if (!peer.comparableUnit().equals(cell.comparableUnit())) {
                return new Comparison(Double.NaN, null, false, Double.NaN, "units differ (" + peer.unit() + ", " + cell.unit() + ")");
            }
            if (best == null || better(peer, best)) {
                best = peer;
            }
        }
        if (best == null) {
            return new Comparison(Double.NaN, null, false, Double.NaN, "no peer measured");
        }
        double ratio = cell.comparable(cell.median()) / best.comparable(best.median());
        boolean better = cell.comparableHigherIsBetter() ? ratio > 1 : ratio < 1;
        double points = cell.unit().equals("ratio") ? 100 * (cell.median() - best.median()) : Double.NaN;
        return new Comparison(ratio, subject(best), better, points, null);
    }

    private static boolean better(Result a, Result b) {
        double va = a.comparable(a.median());
        double vb = b.comparable(b.median());
        return a.comparableHigherIsBetter() ? va > vb : va < vb;
    }
}
