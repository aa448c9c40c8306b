using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ComplaintDiagnostics.Core.Files;

/// <summary>
/// The three calls .NET does not expose that a careful reader of someone else's folder needs on Linux: the real path
/// of an entry (every link in it resolved, so a link out of the folder is seen for what it is), an open that never
/// waits (a FIFO or a device opened for reading blocks in <c>open</c> itself until a writer comes), and the type and
/// size of what was opened. <c>statx</c> is used because its layout is the same on every architecture.
/// </summary>
internal static partial class UnixFiles
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800; // O_NONBLOCK, the same on x86-64 and arm64
    private const int CloseOnExec = 0x80000; // O_CLOEXEC, likewise
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the descriptor itself
    private const uint TypeAndSize = 0x1 | 0x200; // STATX_TYPE | STATX_SIZE
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG
    private const int Directory = 0x4000; // S_IFDIR

    /// <summary>What an opened path turned out to be.</summary>
    public enum Kind
    {
        Regular,
        Directory,
        Other,
    }

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>The canonical path of <paramref name="path"/> with every symbolic link resolved, or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading without ever waiting for a writer; the handle says what it is.</summary>
    /// <exception cref="IOException">It could not be opened.</exception>
    public static SafeFileHandle OpenNonBlocking(string path, out Kind kind, out long length)
    {
        var fd = NativeOpen(path, ReadOnly | NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException(new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message);
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> buffer = stackalloc byte[256];
        if (NativeStatx(fd, "", EmptyPath, TypeAndSize, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException(new System.ComponentModel.Win32Exception(error).Message);
        }
        var mode = BitConverter.ToUInt16(buffer[28..30]); // stx_mode
        length = BitConverter.ToInt64(buffer[40..48]); // stx_size
        kind = (mode & TypeMask) switch
        {
            RegularFile => Kind.Regular,
            Directory => Kind.Directory,
            _ => Kind.Other,
        };
        return handle;
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(IntPtr pointer);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeStatx(int directory, string path, int flags, uint mask, ref byte buffer);
}
