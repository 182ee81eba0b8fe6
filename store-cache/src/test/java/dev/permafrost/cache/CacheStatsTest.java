package dev.permafrost.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheStatsTest {
    @Test
    void ratesCountBothLayersAsHits() {
        CacheStats stats = new CacheStats(6, 2, 2, 3, 1, 400, 0, 0, 0);
        assertThat(stats.hitCount()).isEqualTo(8);
        assertThat(stats.hitRate()).isEqualTo(0.8);
        assertThat(stats.missRate()).isEqualTo(0.2);
        assertThat(stats.averageLoadPenaltyNanos()).isEqualTo(100.0);
        assertThat(CacheStats.empty().hitRate()).isEqualTo(1.0);
    }

    @Test
    void minusGivesTheCountsBetweenTwoSnapshots() {
        CacheStats before = new CacheStats(1, 1, 1, 1, 0, 10, 1, 5, 100);
        CacheStats after = new CacheStats(4, 2, 3, 2, 1, 25, 2, 9, 80);
        assertThat(after.minus(before)).isEqualTo(new CacheStats(3, 1, 2, 1, 1, 15, 1, 4, 80));
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> new CacheStats(-1, 0, 0, 0, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
