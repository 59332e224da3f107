"""A small reader and writer for the safetensors format, with NumPy only.

The format (https://huggingface.co/docs/safetensors) is simple enough to write by hand:

    [8 bytes]  N, the length of the header, unsigned 64-bit little-endian
    [N bytes]  the header: UTF-8 JSON, one entry per tensor
                 "name": {"dtype": "F32", "shape": [3, 4], "data_offsets": [begin, end]}
               and optionally "__metadata__": {"key": "string value", ...}
    [rest]     the data buffer: every tensor's raw little-endian bytes, in row-major order;
               data_offsets count bytes from the start of this buffer, not of the file.

Writers pad the header with spaces so the data buffer starts on an 8-byte boundary.
A tensor of shape [] (a scalar) holds one element.
"""

import json
import struct

import numpy as np

# safetensors dtype name -> NumPy little-endian dtype.
DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
# The reverse map, keyed by NumPy's dtype with native byte order ignored.
NAMES = {dtype.newbyteorder("="): name for name, dtype in DTYPES.items()}


class SafetensorsError(ValueError):
    """A file that does not follow the safetensors format."""


def _to_numpy(value):
    """Accepts a NumPy array or a torch tensor (moved to CPU, detached)."""
    if hasattr(value, "detach"):  # a torch.Tensor, without importing torch here
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def save_file(tensors, path, metadata=None):
    """Writes `tensors` (a dict name -> array or tensor) to `path`.

    `metadata` is an optional dict of strings, stored under "__metadata__".
    Tensors are written in the order of the dict.
    """
    header = {}
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"metadata must map strings to strings, got {key!r}: {value!r}")
        header["__metadata__"] = dict(metadata)

    chunks = []
    offset = 0
    for name, value in tensors.items():
        if name == "__metadata__":
            raise ValueError('"__metadata__" is reserved and cannot name a tensor')
        array = _to_numpy(value)
        dtype_name = NAMES.get(array.dtype.newbyteorder("="))
        if dtype_name is None:
            raise TypeError(f"tensor {name!r} has dtype {array.dtype}, which this writer does "
                            f"not handle; convert it to one of {sorted(DTYPES)}")
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype_name]).tobytes()
        header[name] = {
            "dtype": dtype_name,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)

    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # Pad with spaces so the data buffer starts on an 8-byte boundary.
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for data in chunks:
            f.write(data)


def load_file(path):
    """Reads `path`; returns (tensors, metadata).

    tensors: dict name -> NumPy array (a copy, native byte order), in file order.
    metadata: the "__metadata__" dict, or {} when the file has none.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise SafetensorsError(f"{path}: {len(raw)} bytes, too short for a safetensors file")
    (header_length,) = struct.unpack("<Q", raw[:8])
    if 8 + header_length > len(raw):
        raise SafetensorsError(f"{path}: header length {header_length} runs past the end "
                               f"of the file ({len(raw)} bytes)")
    try:
        header = json.loads(raw[8:8 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SafetensorsError(f"{path}: the header is not UTF-8 JSON ({error})") from None
    buffer = memoryview(raw)[8 + header_length:]

    metadata = header.pop("__metadata__", None) or {}
    tensors = {}
    for name, entry in header.items():
        dtype_name = entry.get("dtype")
        if dtype_name not in DTYPES:
            raise SafetensorsError(f"{path}: tensor {name!r} has dtype {dtype_name!r}; this "
                                   f"reader handles {sorted(DTYPES)}")
        dtype = DTYPES[dtype_name]
        shape = tuple(entry["shape"])
        begin, end = entry["data_offsets"]
        count = int(np.prod(shape, dtype=np.int64))  # np.prod(()) == 1: a scalar
        if not 0 <= begin <= end <= len(buffer) or end - begin != count * dtype.itemsize:
            raise SafetensorsError(f"{path}: tensor {name!r} of shape {list(shape)} and dtype "
                                   f"{dtype_name} does not fit its data_offsets {[begin, end]} "
                                   f"(data buffer is {len(buffer)} bytes)")
        array = np.frombuffer(buffer[begin:end], dtype=dtype).reshape(shape)
        tensors[name] = array.astype(dtype.newbyteorder("="), copy=True)
    return tensors, metadata
