package io.alignloss.output;

/**
 * Whether a run may replace an output folder that already exists: never (the default), only a folder alignloss
 * wrote ({@code --overwrite}), or whatever is there ({@code --force-overwrite}).
 */
public enum Overwrite {
    /** An existing folder is an error (exit 2). */
    NEVER,
    /**
     * Replace a folder alignloss wrote: one holding {@code _ALIGNLOSS}, or (from before the marker) summary.json or
     * leaderboard.json; anything else is an error (exit 2).
     */
    ALIGNLOSS_OUTPUT,
    /** Replace the folder whatever it holds. */
    ANY;

    /** {@link #ALIGNLOSS_OUTPUT} for {@code --overwrite}, else {@link #NEVER}. */
    public static Overwrite fromFlag(boolean overwrite) {
        return overwrite ? ALIGNLOSS_OUTPUT : NEVER;
    }

    /** Whether an existing folder may be replaced at all. */
    public boolean allowed() {
        return this != NEVER;
    }
}
