package dev.permafrost.jmh.trace;

import dev.permafrost.cache.policy.EvictionPolicy;
import dev.permafrost.cache.policy.PolicyEntry;
import java.util.HashMap;

/**
 * An {@link EvictionPolicy} driven as the overlay drives it: a map from key to the policy's
 * entry, {@code onAccess} on a hit, {@code onAdmit} (weight 1) on a miss, and the victims it
 * names removed from the map. Not in the command's output: a test checks that the real overlay
 * ({@link OverlayReplayedCache}) hits exactly as often as its policy driven directly.
 */
final class PolicyReplayedCache implements ReplayedCache {

    private final String name;
    private final EvictionPolicy<Integer> policy;
    private final HashMap<Integer, PolicyEntry<Integer>> entries;
    private boolean admittedEntryEvicted;

    /**
     * A replay of a policy.
     *
     * @param name the name in the output
     * @param policy the policy, empty, with the capacity under test
     */
    PolicyReplayedCache(String name, EvictionPolicy<Integer> policy) {
        this.name = name;
        this.policy = policy;
        this.entries = HashMap.newHashMap((int) Math.min(policy.capacity(), 1 << 24));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean access(int key) {
        PolicyEntry<Integer> entry = entries.get(key);
        if (entry != null) {
            policy.onAccess(entry);
            return true;
        }
        admittedEntryEvicted = false;
        entry = policy.onAdmit(key, 1, victim -> {
            if (entries.remove(victim.key()) == null) {
                admittedEntryEvicted = true; // the new entry itself: heavier than the capacity
            }
        });
        if (!admittedEntryEvicted) {
            entries.put(key, entry);
        }
        return false;
    }
}
