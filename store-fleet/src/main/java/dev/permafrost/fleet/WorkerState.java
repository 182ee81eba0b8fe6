package dev.permafrost.fleet;

/** Where a worker is in its life, as its {@link Supervisor} sees it. */
public enum WorkerState {
    /** Its process is launched (or about to be relaunched) and has not attached the store yet. */
    STARTING,
    /** It opened the store and runs the worker. */
    RUNNING,
    /** It crashed and waits out its back-off before a restart. */
    RESTARTING,
    /** Its worker returned; it exited with status 0 and is not restarted. */
    FINISHED,
    /** It crashed more often than the restart limit allows; it is not restarted again. */
    FAILED,
    /** It was stopped on request. */
    STOPPED
}
