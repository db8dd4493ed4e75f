package io.glmvoicebatch.manifest;

import java.io.Serializable;
import java.util.List;

/**
 * A run of consecutive manifest lines, named by its byte range so it is a few dozen bytes however many
 * lines it holds: the pipeline reads the manifest once to cut it into parts (and to judge duplicate ids
 * across the whole file), then each part is parsed again on its own, wherever it lands.
 *
 * @param startByte offset of the part's first line
 * @param endByte offset just past its last line
 * @param firstLine 1-based number of its first line
 * @param encoding the file's encoding, detected from its first bytes
 * @param csv the CSV header's delimiter and column names, or null for JSON Lines
 * @param problems the part's bad lines, as the whole-file pass judged them (duplicates included)
 * @param entries how many items and bad lines it holds
 */
public record ManifestPart(long startByte, long endByte, int firstLine, ManifestEncoding encoding, CsvDialect csv,
    List<ManifestProblem> problems, int entries) implements Serializable {}
