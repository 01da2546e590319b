/** File input: formats, globs, the file RDD, and `textFile`/`binaryRecords` on SparkContext (installed on import). */
import './SparkContextFiles';

export type { InputFormat } from './InputFormat';
export { TextInputFormat, OffsetTextInputFormat } from './TextInputFormat';
export { FixedLengthBinaryInputFormat } from './FixedLengthBinaryInputFormat';
export { NewHadoopRDD, type FileSpec } from './NewHadoopRDD';
export { LineSplitter } from './LineSplitter';
export { type FileStatus, listStatus, getFileStatus } from './FileStatus';
export { globStatus, globToRegExp, normalizeInputPath, type GlobResult } from './GlobPattern';
export { resolveInputFiles } from './SparkContextFiles';
export { InvalidInputException, FileReadException, WrongRecordLengthException } from './FileInputErrors';
