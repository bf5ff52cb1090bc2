package io.iotbench.pipelines.generate;

import java.io.Serializable;

/**
 * What one partition wrote: its file, its rows, how many were labeled 1, and the uncompressed bytes.
 *
 * @param file the file's location
 * @param rows rows written
 * @param ones rows labeled 1
 * @param textBytes bytes of text before compression
 */
public record PartitionFile(String file, long rows, long ones, long textBytes) implements Serializable {}
