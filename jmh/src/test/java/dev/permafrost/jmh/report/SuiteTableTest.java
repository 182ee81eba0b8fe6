package dev.permafrost.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteTableTest {

    @Test
    void rowsGroupByOperationParametersAndThreads() {
        List<SuiteTable.Row> rows = SuiteTable.rows(ResultFileTest.fixtureResults());
        assertThat(rows).extracting(SuiteTable.Row::operation).containsExactly("read", "unannotated");
        assertThat(rows.get(0).cells()).hasSize(3);
        assertThat(rows.get(1).label()).isEqualTo("unannotated, size=256 kind=direct, 2 threads");
        assertThat(SuiteTable.subject(rows.get(1).cells().get(0))).isEqualTo("FixtureBenchmark");
    }

    @Test
    void permafrostIsComparedWithTheBestPeerOfItsRow() {
        SuiteTable.Row read = SuiteTable.rows(ResultFileTest.fixtureResults()).get(0);
        Result permafrost = read.cells().get(1);
        SuiteTable.Comparison c = SuiteTable.compare(read, permafrost);
        // plain read 3.5 ns beats AtomicLong's 0.2 ops/ns = 5 ns: 4.5 / 3.5
        assertThat(c.peer()).isEqualTo("plain read");
        assertThat(c.ratio()).isCloseTo(4.5 / 3.5, within(1e-9));
        assertThat(c.better()).isFalse();
        assertThat(c.points()).isNaN();
    }

    @Test
    void withNoPeerMeasuredThereIsNoRatio() {
        List<Result> results = ResultFileTest.fixtureResults();
        SuiteTable.Row alone = SuiteTable.rows(List.of(results.get(1))).get(0);
        SuiteTable.Comparison c = SuiteTable.compare(alone, results.get(1));
        assertThat(c.ratio()).isNaN();
        assertThat(c.note()).isEqualTo("no peer measured");
    }
}
