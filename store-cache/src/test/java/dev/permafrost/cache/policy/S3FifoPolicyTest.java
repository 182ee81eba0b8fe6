package dev.permafrost.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3-FIFO's own rules: the small, main and ghost queues, promotion, the capped counter. */
class S3FifoPolicyTest {

    private final List<Integer> victims = new ArrayList<>();

    private PolicyEntry<Integer> admit(EvictionPolicy<Integer> policy, int key, long weight) {
        return policy.onAdmit(key, weight, victim -> victims.add(victim.key()));
    }

    private static void hit(EvictionPolicy<Integer> policy, PolicyEntry<Integer> entry, int times) {
        for (int i = 0; i < times; i++) {
            policy.onAccess(entry);
        }
    }

    @Test
    void twoHitsInTheSmallQueuePromoteToMainWithTheCounterCleared() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(100);
        PolicyEntry<Integer> twice = admit(policy, 0, 1);
        assertThat(policy.isInMainQueue(twice)).isFalse();
        hit(policy, twice, 2);
        for (int key = 1; key < 100; key++) {
            admit(policy, key, 1);
        }
        admit(policy, 100, 1);
        assertThat(policy.isInMainQueue(twice)).isTrue();
        assertThat(twice.frequency()).isZero();
        assertThat(victims).containsExactly(1);
        assertThat(policy.isGhost(1)).isTrue();
    }

    @Test
    void oneHitInTheSmallQueueDoesNotPromote() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(100);
        PolicyEntry<Integer> once = admit(policy, 0, 1);
        hit(policy, once, 1);
        for (int key = 1; key <= 100; key++) {
            admit(policy, key, 1);
        }
        assertThat(victims).containsExactly(0);
        assertThat(policy.isResident(once)).isFalse();
        assertThat(policy.isGhost(0)).isTrue();
    }

    @Test
    void aGhostHitGoesStraightToTheMainQueue() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(100);
        for (int key = 0; key <= 100; key++) {
            admit(policy, key, 1);
        }
        assertThat(victims).containsExactly(0);
        PolicyEntry<Integer> back = admit(policy, 0, 1);
        assertThat(policy.isInMainQueue(back)).isTrue();
        assertThat(policy.isGhost(0)).isFalse();
        PolicyEntry<Integer> fresh = admit(policy, 1_000, 1);
        assertThat(policy.isInMainQueue(fresh)).isFalse();
    }

    @Test
    void theCounterIsCappedAtThree() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(10);
        PolicyEntry<Integer> entry = admit(policy, 0, 1);
        hit(policy, entry, 10);
        assertThat(entry.frequency()).isEqualTo(PolicyEntry.MAXIMUM_FREQUENCY).isEqualTo(3);
    }

    @Test
    void theMainQueueGivesHitEntriesAnotherPassWithTheirCounterDecremented() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(10); // small 1, main 9, ghost 9
        for (int key = 0; key < 20; key++) {
            admit(policy, key, 1); // 0..9 evicted into the ghost, 0 forgotten again
        }
        Map<Integer, PolicyEntry<Integer>> main = new HashMap<>();
        for (int key = 1; key <= 9; key++) {
            main.put(key, admit(policy, key, 1)); // ghost hits
            assertThat(policy.isInMainQueue(main.get(key))).isTrue();
        }
        hit(policy, main.get(1), 3);
        hit(policy, main.get(2), 1);
        victims.clear();
        PolicyEntry<Integer> promoted = admit(policy, 100, 1); // evicts 19 from the small queue
        assertThat(victims).containsExactly(19);
        hit(policy, promoted, 2);
        victims.clear();
        admit(policy, 101, 1); // promotes 100: main over its share, so main evicts
        assertThat(policy.isInMainQueue(promoted)).isTrue();
        assertThat(victims).containsExactly(3);
        assertThat(main.get(1).frequency()).isEqualTo(2);
        assertThat(main.get(2).frequency()).isZero();
        assertThat(policy.isResident(main.get(1))).isTrue();
        assertThat(policy.isResident(main.get(2))).isTrue();
    }

    @Test
    void aScanOfOneHitKeysDoesNotFlushTheFrequentlyUsedKeys() {
        S3FifoPolicy<Integer> s3fifo = new S3FifoPolicy<>(1_000);
        LruPolicy<Integer> lru = new LruPolicy<>(1_000);
        int hotKeys = 200;
        Map<Integer, PolicyEntry<Integer>> s3fifoEntries = replay(s3fifo, hotKeys);
        Map<Integer, PolicyEntry<Integer>> lruEntries = replay(lru, hotKeys);
        for (int key = 0; key < hotKeys; key++) {
            assertThat(s3fifoEntries).containsKey(key);
        }
        assertThat(s3fifoEntries.keySet().stream().filter(key -> key < hotKeys)).hasSize(hotKeys);
        assertThat(lruEntries.keySet().stream().filter(key -> key < hotKeys)).isEmpty();
    }

    /** Five rounds over the hot keys, then a scan of 10,000 keys seen once: the entries resident at the end. */
    private static Map<Integer, PolicyEntry<Integer>> replay(EvictionPolicy<Integer> policy, int hotKeys) {
        Map<Integer, PolicyEntry<Integer>> resident = new HashMap<>();
        List<Integer> trace = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int key = 0; key < hotKeys; key++) {
                trace.add(key);
            }
        }
        for (int key = 1_000_000; key < 1_010_000; key++) {
            trace.add(key);
        }
        for (int key : trace) {
            PolicyEntry<Integer> entry = resident.get(key);
            if (entry != null) {
                policy.onAccess(entry);
            } else {
                resident.put(key, policy.onAdmit(key, 1, victim -> resident.remove(victim.key())));
            }
        }
        return resident;
    }

    @Test
    void theSmallQueueIsSizedByWeight() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(100); // small 10 units, main 90, ghost 90
        List<PolicyEntry<Integer>> first = new ArrayList<>();
        for (int key = 0; key < 10; key++) {
            first.add(admit(policy, key, 10));
        }
        for (int key = 0; key < 9; key++) {
            hit(policy, first.get(key), 2);
        }
        for (int key = 10; key < 20; key++) {
            admit(policy, key, 10);
        }
        // 0..8 promoted fill the main queue's 90 units; the small queue's 10 units hold one new entry at a time
        assertThat(victims).containsExactly(9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        for (int key = 0; key < 9; key++) {
            assertThat(policy.isInMainQueue(first.get(key))).isTrue();
        }
        assertThat(policy.weightedSize()).isEqualTo(100);
        assertThat(policy.ghostWeight()).isEqualTo(90);
    }

    @Test
    void aRemovedKeyDoesNotEnterTheGhost() {
        S3FifoPolicy<Integer> policy = new S3FifoPolicy<>(10);
        PolicyEntry<Integer> entry = admit(policy, 7, 1);
        policy.onRemove(entry);
        assertThat(policy.isGhost(7)).isFalse();
        assertThat(policy.ghostWeight()).isZero();
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(0, 2, 0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(1, 2, 0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(0.1, 0, 0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(0.1, 4, 0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(0.1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3FifoPolicy.Settings(0.1, 2, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(S3FifoPolicy.Settings.AUTHORS).isEqualTo(new S3FifoPolicy.Settings(0.10, 2, 0.90));
    }
}
