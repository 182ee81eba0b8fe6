package dev.permafrost.jmh.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteArgsTest {

    @Test
    void aFullRunNeedsOnlyTheOutputFile() {
        SuiteArgs args = SuiteArgs.parse(new String[] {"--out", "r.json"});

        assertThat(args.size()).isEqualTo(SuiteArgs.Size.FULL);
        assertThat(args.out()).isEqualTo(Path.of("r.json"));
        assertThat(args.rest()).isEmpty();
        assertThat(args.pick(5, 3, 1)).isEqualTo(5);
    }

    @Test
    void quickAndSmokePickTheirValuesAndOtherArgumentsAreLeftInOrder() {
        SuiteArgs quick = SuiteArgs.parse(new String[] {"--records", "7", "--quick", "--out", "q.json"});
        SuiteArgs smoke = SuiteArgs.parse(new String[] {"--smoke", "--out", "s.json", "--smoke"});

        assertThat(quick.pick(5, 3, 1)).isEqualTo(3);
        assertThat(quick.rest()).containsExactly("--records", "7");
        assertThat(smoke.pick(5, 3, 1)).isEqualTo(1);
    }

    @Test
    void refusesAMissingOutputFileAndQuickWithSmoke() {
        assertThatThrownBy(() -> SuiteArgs.parse(new String[] {"--quick"})).hasMessageContaining("--out FILE is required");
        assertThatThrownBy(() -> SuiteArgs.parse(new String[] {"--out"})).hasMessageContaining("--out needs a file");
        assertThatThrownBy(() -> SuiteArgs.parse(new String[] {"--quick", "--smoke", "--out", "x"}))
                .hasMessageContaining("exclude each other");
    }

    @Test
    void aChildsResultLineReadsBackAsItsValues() {
        String line = ChildJvm.resultLine(Map.of("bytes", 1331200L));

        assertThat(line).isEqualTo("RESULT bytes=1331200");
        assertThat(ChildJvm.parseResult(line)).containsExactlyEntriesOf(Map.of("bytes", "1331200"));
        assertThat(ChildJvm.parseResult("RESULT a=1 b=x")).containsKeys("a", "b").containsValues("1", "x");
        assertThatThrownBy(() -> ChildJvm.parseResult("RESULT a")).hasMessageContaining("not key=value");
        assertThatThrownBy(() -> ChildJvm.resultLine(Map.of("a", "two words"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChildJvmsFailureNamesItsStatusAndOutput() {
        assertThatThrownBy(() -> ChildJvm.run(List.of("-Xmx32m"), CacheSuite.class, List.of("--child", "nothing", "1", "/tmp/x"),
                java.time.Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited with status 2")
                .hasMessageContaining("no map named nothing");
    }
}
