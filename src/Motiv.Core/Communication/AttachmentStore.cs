using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Communication;

public sealed class AttachmentOptions
{
    /// <summary>The folder files are kept in (relative paths start at the working directory).</summary>
    public string Path { get; set; } = "data/attachments";

    /// <summary>The largest file accepted, in bytes.</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;
}

public sealed record AttachmentFile(Stream Content, string FileName, string ContentType);

/// <summary>
/// Files attached to interactions. The kind is decided by the first bytes, never by the name or the client's MIME type;
/// only documents, images and plain text are accepted (no HTML, SVG or programs), and every file is served as a download.
/// </summary>
public sealed class AttachmentStore(IDbContextFactory<MotivDbContext> dbFactory, IOptions<AttachmentOptions> options)
{
    public long MaxBytes => options.Value.MaxBytes;

    public async Task<AttachmentDto> AddAsync(Guid interactionId, string? fileName, Stream content, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var interaction = await Records.FindForUpdateAsync(db, db.Interactions, interactionId, null, ct);
        using var buffer = new MemoryStream();
        await CopyLimitedAsync(content, buffer, options.Value.MaxBytes, ct);
        var attachment = await StageAsync(db, interaction.Id, fileName, buffer.ToArray(), ct) ?? throw ValidationException.For("file", Text.Get("Validation.FileType"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            File.Delete(PathOf(attachment.Id));
            throw;
        }
        return new AttachmentDto(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.UploadedAt);
    }

    /// <summary>
    /// Checks a file by its content and writes it to the folder; its row is added to <paramref name="db"/> for the caller to
    /// save (with the interaction, for mail taken from a mailbox). Null for a kind that is not accepted or a file too large.
    /// </summary>
    public async Task<Attachment?> StageAsync(MotivDbContext db, Guid interactionId, string? fileName, byte[] bytes, CancellationToken ct)
    {
        var name = CleanName(fileName);
        if (bytes.LongLength > options.Value.MaxBytes || bytes.Length == 0 || Sniff(bytes, name) is not { } kind) return null;
        var attachment = new Attachment
        {
            InteractionId = interactionId, FileName = name, ContentType = kind, Size = bytes.LongLength,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), UploadedAt = db.Clock.GetUtcNow(), UploadedById = db.Scope.UserId,
        };
        var path = PathOf(attachment.Id);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, ct);
        db.Attachments.Add(attachment);
        return attachment;
    }

    /// <summary>The file, if the user may see its interaction.</summary>
    public async Task<AttachmentFile> OpenAsync(Guid interactionId, Guid attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Records.FindAsync(db.Interactions.AsNoTracking(), interactionId, ct);
        var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.InteractionId == interactionId, ct)
            ?? throw new NotFoundException("attachment", attachmentId);
        return new AttachmentFile(File.OpenRead(PathOf(a.Id)), a.FileName, a.ContentType);
    }

    private string PathOf(Guid id) => System.IO.Path.Combine(System.IO.Path.GetFullPath(options.Value.Path), id.ToString("N")[..2], id.ToString("N"));

    private static async Task CopyLimitedAsync(Stream source, Stream target, long max, CancellationToken ct)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            total += read;
            if (total > max) throw ValidationException.For("file", Text.Get("Validation.FileSize", max / 1024));
            await target.WriteAsync(chunk.AsMemory(0, read), ct);
        }
        if (total == 0) throw ValidationException.For("file", Text.Get("Validation.Required"));
    }

    private static string CleanName(string? name)
    {
        var file = System.IO.Path.GetFileName((name ?? "").Replace('\\', '/'));
        file = new string(file.Where(c => !char.IsControl(c) && c is not '"' and not '/' and not '\\').ToArray()).Trim();
        if (file.Length == 0) file = "file";
        return file.Length > 200 ? file[^200..] : file;
    }

    /// <summary>The MIME type by content: PDF, PNG, JPEG, GIF, WebP, ZIP-based office files, or UTF-8 plain text; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> b, string fileName)
    {
        if (b.StartsWith("%PDF-"u8)) return "application/pdf";
        if (b.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "image/png";
        if (b.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) return "image/jpeg";
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return "image/gif";
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        if (b.StartsWith(new byte[] { 0x50, 0x4B, 0x03, 0x04 }))
        {
            return System.IO.Path.GetExtension(fileName).ToLowerInvariant() switch
            {
                ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                ".odt" => "application/vnd.oasis.opendocument.text",
                ".ods" => "application/vnd.oasis.opendocument.spreadsheet",
                _ => "application/zip",
            };
        }
        // Text: valid UTF-8 without NUL bytes that does not start like markup (HTML, SVG, XML are refused).
        if (b.IndexOf((byte)0) >= 0) return null;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(b).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            return text.StartsWith('<') ? null : "text/plain";
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
