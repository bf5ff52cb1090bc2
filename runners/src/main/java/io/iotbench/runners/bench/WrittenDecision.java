package io.iotbench.runners.bench;

import io.iotbench.pipelines.score.Decision;

/**
 * A decision as the scorer wrote it, with when it was written: the write time of its file (epoch milliseconds) and
 * its position among everything read (file by file, line by line), which orders decisions written at the same time.
 */
public record WrittenDecision(Decision decision, long writtenMillis, long position) {}
