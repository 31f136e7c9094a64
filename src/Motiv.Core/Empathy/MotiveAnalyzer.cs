using System.Text;
using System.Text.RegularExpressions;
using Lucene.Net.Tartarus.Snowball;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace Motiv.Core.Empathy;

/// <summary>One cue found in a text: which motive, how strong (0–1), in which sentence, and whether it was negated ("kein Thema", "not about price").</summary>
public sealed record MotiveCueHit(string Motive, double Strength, string Sentence, bool Negated, string Cue);

public sealed record MotiveAnalysis(string Language, IReadOnlyList<MotiveCueHit> Evidence);

/// <summary>
/// Finds motive cues in a text, transparently: detects German or English, splits sentences and clauses, stems each word
/// with the language's Snowball stemmer (Lucene.Net), matches the taxonomy's cue phrases (<c>preis*</c> and <c>*sicherheit</c>
/// for German compounds, <c>=sicher</c> for a word whose stem would collide with another's), and marks cues that a negation in the same clause turns round. Intensifiers ("sehr", "most important")
/// raise the strength. No learning, no hidden weights: every hit names the phrase that caused it.
/// </summary>
public sealed partial class MotiveAnalyzer
{
    /// <summary>Stored with every evidence item, so a later change of the rules is visible and re-running replaces older results.</summary>
    public const string Version = "cues-1";

    private static readonly HashSet<string> GermanWords =
    [
        "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "wir", "sie", "ihr", "ihm", "er", "es", "zu", "mit", "auf", "für", "von", "den", "dem",
        "des", "sich", "auch", "noch", "aber", "wie", "uns", "unsere", "unser", "kein", "keine", "sehr", "wenn", "dass", "beim", "bei", "vom", "zum", "zur", "oder",
        "wird", "werden", "hat", "haben", "möchte", "will", "sind", "war", "nach", "über", "ganz", "immer", "schon", "nur", "mehr", "frau", "herr", "kunde", "kd",
        "wichtig", "gerne", "bitte", "danke", "viele", "grüße", "termin", "ihnen", "ich", "mir", "mich", "kann", "können", "soll", "sollte", "weil", "denn",
        "ihre", "sein", "seine", "einer", "eines", "dann", "alles", "etwas", "nichts", "muss", "müssen", "hier", "jetzt", "schon", "ohne", "gegen", "beim",
    ];

    private static readonly HashSet<string> EnglishWords =
    [
        "the", "and", "is", "not", "a", "an", "we", "they", "she", "he", "it", "to", "with", "on", "for", "of", "our", "their", "his", "her", "be", "are", "was",
        "were", "this", "that", "but", "as", "at", "by", "from", "have", "has", "had", "would", "will", "can", "should", "very", "about", "than", "more", "any",
        "customer", "client", "wants", "said", "says", "important", "please", "thanks", "regards", "meeting", "you", "your", "i", "me", "my", "do", "does", "what",
        "which", "who", "if", "because", "so", "really", "just", "only", "also", "them", "us", "first", "comes", "all", "every", "there", "been", "into",
        "over", "other", "its", "want", "needs", "need", "get", "like", "how", "when", "where", "why", "our", "without", "after", "before", "than", "then",
    ];

    private static readonly HashSet<string> Negators =
    [
        "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "weder", "kaum", "nichts",
        "not", "no", "never", "neither", "nor", "hardly", "nothing", "none", "without",
    ];

    /// <summary>A dismissal after the cue turns it round: "Preis ist zweitrangig", "price is secondary".</summary>
    private static readonly HashSet<string> Dismissals =
    [
        "egal", "zweitrangig", "nebensächlich", "nebensache", "unwichtig", "irrelevant", "untergeordnet", "sekundär", "secondary", "unimportant",
        "overrated", "überbewertet", "verzichtet", "verzichten", "verzichtbar", "abgelehnt", "lehnt", "ablehnen", "declined", "declines", "refused", "waived",
        "unnecessary", "überflüssig", "schnuppe", "wurscht", "wurst", "kalt", "cold", "pointless", "sinnlos", "meaningless", "abbestellt", "gekündigt",
    ];

    /// <summary>After a negator, these open a scope to the clause's end: "legt keinen Wert auf …", "kein Interesse an …", "no interest in …".</summary>
    private static readonly HashSet<string> ScopeOpeners =
    [
        "wert", "interesse", "bedarf", "bedürfnis", "interest", "interested", "interessiert", "need", "desire", "appetite", "care",
    ];

    /// <summary>After a negation: what makes it a dismissal ("spielt keine Rolle", "not a priority", "doesn't matter").</summary>
    private static readonly HashSet<string> DismissalObjects =
    [
        "rolle", "wichtig", "thema", "entscheidend", "relevant", "priorität", "interessiert", "interessant", "ausschlaggebend", "gefragt", "anliegen", "punkt",
        "important", "priority", "issue", "concern", "factor", "matter", "matters", "topic", "relevant", "interested", "interest", "decisive", "problem", "point",
        "care", "cares", "bother", "bothered", "focus", "driver", "criterion", "requirement", "needed", "necessary", "nötig", "notwendig", "brauchen", "braucht",
        "brauche", "benötigt", "benötigen", "kriterium", "ausschlag", "übrig", "convinced", "convince", "convincing", "count", "counts", "zählt", "zählen",
        "wichtiger", "priorisiert", "angesagt", "gewünscht", "wanted", "mattered", "cared", "interessieren", "interessierte", "reizt", "reizen",
        "argument", "impress", "impresses", "impressed", "beeindruckt", "beeindrucken", "überzeugt", "überzeugen",
        "difference", "unterschied", "thing", "sway", "swayed", "umgestimmt", "bedeutung",
    ];

    /// <summary>Verbs that dismiss a cue when the negation follows them ("interessiert ihn nicht", "matters little … not"); "braucht keinen …" is not one.</summary>
    private static readonly HashSet<string> DismissalVerbs =
    [
        "interessiert", "interessieren", "interessierte", "reizt", "reizen", "zählt", "zählen", "beeindruckt", "überzeugt",
        "matter", "matters", "mattered", "care", "cares", "cared", "impress", "impresses", "convinced", "count", "counts", "bother", "bothered",
        "mean", "means", "meant", "bedeutet", "bedeuten", "bedeutete",
    ];

    /// <summary>"braucht sie nicht", "wollte er gar nicht": a need denied at the end of the clause dismisses what came before.</summary>
    private static readonly HashSet<string> NeedVerbs =
    [
        "braucht", "brauche", "brauchen", "brauchte", "benötigt", "wollte", "wollen", "will", "möchte", "need", "needs", "needed",
    ];

    /// <summary>Refusals before the cue: "declined the extended warranty", "hat den Newsletter abbestellt" comes after and is a dismissal.</summary>
    private static readonly HashSet<string> Refusals =
    [
        "declined", "declines", "declining", "rejected", "rejects", "refused", "refuses", "cancelled", "canceled", "ablehnt",
    ];

    private static readonly HashSet<string> Intensifiers =
    [
        "sehr", "besonders", "wichtigste", "wichtigsten", "entscheidend", "unbedingt", "absolut", "oberste", "höchste", "extrem", "äußerst", "enorm", "zentral",
        "very", "most", "crucial", "essential", "absolutely", "top", "key", "critical", "especially", "extremely", "paramount", "vital", "must",
    ];

    /// <summary>Words that end a clause: a negation before them does not reach the cue after them.</summary>
    private static readonly HashSet<string> ClauseBreaks =
    [
        "aber", "sondern", "jedoch", "doch", "allerdings", "dafür", "stattdessen", "während", "hingegen", "vielmehr",
        "but", "however", "rather", "instead", "whereas", "while", "though", "although",
    ];

    private static readonly HashSet<string> Abbreviations =
    [
        "z.b", "d.h", "u.a", "bzw", "ca", "dr", "hr", "fr", "nr", "inkl", "evtl", "ggf", "usw", "etc", "e.g", "i.e", "vs", "mr", "mrs", "ms", "prof", "st", "tel", "str",
        "geb", "abt", "bspw", "vgl", "zzgl", "mio", "mrd", "jan", "feb", "okt", "dez", "no",
    ];

    private readonly Dictionary<string, Dictionary<string, List<CompiledCue>>> exact = [];
    private readonly Dictionary<string, List<CompiledCue>> wildcard = [];

    public MotiveAnalyzer(IEnumerable<MotiveDimension> dimensions)
    {
        foreach (var language in new[] { "de", "en" })
        {
            exact[language] = [];
            wildcard[language] = [];
        }
        foreach (var d in dimensions.Where(d => !d.Retired))
        {
            foreach (var cue in d.Cues)
            {
                if (!exact.ContainsKey(cue.Language)) continue;
                var compiled = Compile(d.Code, cue);
                if (compiled is null) continue;
                var first = compiled.Tokens[0];
                if (first.Kind == MatchKind.Stem) (exact[cue.Language].TryGetValue(first.Text, out var list) ? list : exact[cue.Language][first.Text] = []).Add(compiled);
                else wildcard[cue.Language].Add(compiled);
            }
        }
    }

    /// <summary>Analyses a text. <paramref name="language"/> ("de"/"en") overrides the detection.</summary>
    public MotiveAnalysis Analyze(string? text, string? language = null)
    {
        text = StripQuotedReply(text ?? "");
        if (language is not ("de" or "en") && DetectLanguage(text) is null)
        {
            // No sign of either language (a short note, names, jargon): both lexicons are tried, the one that finds more counts.
            var de = Analyze(text, "de");
            var en = Analyze(text, "en");
            return en.Evidence.Count > de.Evidence.Count ? en : de;
        }
        var lang = language is "de" or "en" ? language : DetectLanguage(text)!;
        var hits = new List<MotiveCueHit>();
        foreach (var sentence in Sentences(text))
        {
            var tokens = Tokenize(sentence, lang);
            if (tokens.Count == 0) continue;
            var found = new List<(CompiledCue Cue, int Start, int End)>();
            for (var i = 0; i < tokens.Count; i++)
            {
                var candidates = exact[lang].GetValueOrDefault(tokens[i].Stem) ?? [];
                foreach (var cue in candidates.Concat(wildcard[lang]))
                {
                    if (Matches(cue, tokens, i)) found.Add((cue, i, i + cue.Tokens.Count));
                }
            }
            // A cue inside a longer one ("risiko" in "kein risiko") gives way to it; a false friend (strength 0, such as
            // "preisliste" against "preis*") is no cue and silences every cue it covers.
            var blocked = found.Where(f => f.Cue.Strength == 0).ToList();
            var kept = found.Where(f => f.Cue.Strength > 0 && !blocked.Any(b => b.Start <= f.Start && b.End >= f.End)
                && !found.Any(g => g != f && g.Start <= f.Start && g.End >= f.End && g.End - g.Start > f.End - f.Start)).ToList();
            var quote = Clean(sentence);
            foreach (var byMotive in kept.GroupBy(k => k.Cue.Motive))
            {
                var scored = byMotive.Select(k => (k.Cue, Negated: IsNegated(tokens, k.Start, k.End, k.Cue), Strength: Strength(tokens, k.Start, k.End, k.Cue.Strength))).ToList();
                var positive = scored.Where(s => !s.Negated).ToList();
                var best = (positive.Count > 0 ? positive : scored).OrderByDescending(s => s.Strength).First();
                hits.Add(new MotiveCueHit(byMotive.Key, Math.Round(best.Strength / 3.0, 2), quote, best.Negated, best.Cue.Phrase));
            }
        }
        return new MotiveAnalysis(lang, hits);
    }

    /// <summary>"de" or "en" by common words and letters; null when the text gives no sign.</summary>
    public static string? DetectLanguage(string text)
    {
        double de = 0, en = 0;
        foreach (Match m in WordPattern().Matches(text))
        {
            var w = m.Value.ToLowerInvariant();
            if (GermanWords.Contains(w)) de++;
            if (EnglishWords.Contains(w)) en++;
            if (w.AsSpan().IndexOfAny("äöüß") >= 0) de += 0.5;
            if (w.EndsWith("ung", StringComparison.Ordinal) || w.EndsWith("keit", StringComparison.Ordinal) || w.EndsWith("lich", StringComparison.Ordinal)) de += 0.3;
            if (w.EndsWith("ing", StringComparison.Ordinal) || w.EndsWith("tion", StringComparison.Ordinal) || w.EndsWith("ly", StringComparison.Ordinal)) en += 0.3;
        }
        if (de == 0 && en == 0) return null;
        return de >= en ? "de" : "en";
    }

    /// <summary>Reply mails quote the earlier mail: those lines are our words or old ones, not the person's new ones.</summary>
    private static string StripQuotedReply(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new StringBuilder();
        foreach (var line in lines)
        {
            var t = line.TrimStart();
            if (QuoteHeader().IsMatch(t)) break;
            if (t.StartsWith('>')) continue;
            kept.Append(line).Append('\n');
        }
        return kept.ToString();
    }

    internal static IEnumerable<string> Sentences(string text)
    {
        foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var start = 0;
            for (var i = 0; i < paragraph.Length; i++)
            {
                var c = paragraph[i];
                if (c is not ('.' or '!' or '?' or ';')) continue;
                var end = i + 1;
                while (end < paragraph.Length && paragraph[end] is '.' or '!' or '?') end++;
                if (end < paragraph.Length && !char.IsWhiteSpace(paragraph[end])) continue;
                if (c == '.' && IsAbbreviation(paragraph, start, i)) continue;
                var s = paragraph[start..end].Trim();
                if (s.Length > 0) yield return s;
                start = end;
                i = end - 1;
            }
            var rest = paragraph[start..].Trim();
            if (rest.Length > 0) yield return rest;
        }
    }

    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] != '(') wordStart--;
        var word = text[wordStart..dot].ToLowerInvariant();
        return word.Length == 1 || Abbreviations.Contains(word) || word.All(char.IsDigit);
    }

    internal sealed record Token(string Surface, string Stem, bool ClauseStart);

    internal static List<Token> Tokenize(string sentence, string language)
    {
        var stemmer = NewStemmer(language);
        var tokens = new List<Token>();
        var clauseStart = true;
        var normalized = Contraction().Replace(sentence, " not");
        var last = 0;
        foreach (Match m in WordPattern().Matches(normalized))
        {
            var between = normalized[last..m.Index];
            if (between.AsSpan().IndexOfAny(",;:–—()") >= 0 || between.Contains(" - ", StringComparison.Ordinal)) clauseStart = true;
            last = m.Index + m.Length;
            var surface = m.Value.ToLowerInvariant();
            if (ClauseBreaks.Contains(surface)) clauseStart = true;
            tokens.Add(new Token(surface, Stem(stemmer, surface), clauseStart));
            clauseStart = false;
        }
        return tokens;
    }

    private static SnowballProgram NewStemmer(string language) => language == "en" ? new EnglishStemmer() : new GermanStemmer();

    private static string Stem(SnowballProgram stemmer, string word)
    {
        if (word.Length < 3 || word.Any(char.IsDigit)) return word;
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current.Replace('ä', 'a').Replace('ö', 'o').Replace('ü', 'u');
    }

    private static CompiledCue? Compile(string motive, MotiveCue cue)
    {
        var stemmer = NewStemmer(cue.Language);
        var tokens = new List<CueToken>();
        foreach (var raw in cue.Phrase.ToLowerInvariant().Replace("n't", " not", StringComparison.Ordinal).Split([' ', '-', '/', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('.', ',', '!', '?', '"', '(', ')');
            if (word.Length == 0) continue;
            if (word.StartsWith('=') && word.Length > 1) tokens.Add(new CueToken(MatchKind.Exact, word[1..]));
            else if (word.EndsWith('*') && word.Length > 1) tokens.Add(new CueToken(MatchKind.Prefix, word.TrimEnd('*')));
            else if (word.StartsWith('*') && word.Length > 1) tokens.Add(new CueToken(MatchKind.Suffix, word.TrimStart('*')));
            else tokens.Add(new CueToken(MatchKind.Stem, Stem(stemmer, word)));
        }
        if (tokens.Count == 0) return null;
        var containsNegation = tokens.Any(t => Negators.Contains(t.Text) || t.Text is "kein" or "nicht");
        return new CompiledCue(motive, cue.Phrase, Math.Clamp(cue.Strength, 0, 3), tokens, containsNegation);
    }

    private static bool Matches(CompiledCue cue, List<Token> tokens, int at)
    {
        if (at + cue.Tokens.Count > tokens.Count) return false;
        for (var j = 0; j < cue.Tokens.Count; j++)
        {
            var t = tokens[at + j];
            var c = cue.Tokens[j];
            var ok = c.Kind switch
            {
                MatchKind.Stem => t.Stem == c.Text,
                MatchKind.Prefix => t.Surface.StartsWith(c.Text, StringComparison.Ordinal),
                MatchKind.Exact => t.Surface == c.Text,
                _ => t.Surface.EndsWith(c.Text, StringComparison.Ordinal),
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// Negated when, in the same clause, a negator stands up to four words before the cue, or a negator opens a scope
    /// that reaches to the clause's end ("legt keinen Wert auf …", "no interest in …"), or the cue is dismissed after it
    /// ("ist zweitrangig", "spielt keine Rolle", "interessiert ihn nicht", "not a priority"). A question clause opened by
    /// "ob"/"whether" belongs to the main clause that follows ("Ob es innovativ ist, interessiert sie nicht").
    /// </summary>
    private static bool IsNegated(List<Token> tokens, int start, int end, CompiledCue cue)
    {
        var clauseBegin = start;
        while (clauseBegin > 0 && !tokens[clauseBegin].ClauseStart) clauseBegin--;
        var clauseEnd = end;
        while (clauseEnd < tokens.Count && !tokens[clauseEnd].ClauseStart) clauseEnd++;
        if (tokens[clauseBegin].Surface is "ob" or "whether" && clauseEnd < tokens.Count)
        {
            clauseEnd++;
            while (clauseEnd < tokens.Count && !tokens[clauseEnd].ClauseStart) clauseEnd++;
        }
        if (!cue.ContainsNegation)
        {
            for (var i = clauseBegin; i < start; i++)
            {
                if (Refusals.Contains(tokens[i].Surface) && i >= start - 4) return true;
                if (!Negators.Contains(tokens[i].Surface)) continue;
                if (i >= start - 4) return true;
                if (i + 1 < start && ScopeOpeners.Contains(tokens[i + 1].Surface)) return true;
            }
        }
        for (var i = end; i < clauseEnd; i++)
        {
            if (Dismissals.Contains(tokens[i].Surface)) return true;
            if (!Negators.Contains(tokens[i].Surface)) continue;
            for (var j = i + 1; j < Math.Min(clauseEnd, i + 4); j++)
            {
                if (DismissalObjects.Contains(tokens[j].Surface)) return true;
            }
            for (var j = Math.Max(end, i - 3); j < i; j++)
            {
                if (DismissalVerbs.Contains(tokens[j].Surface)) return true;
                if (NeedVerbs.Contains(tokens[j].Surface) && i >= clauseEnd - 2) return true;
            }
        }
        return false;
    }

    private static int Strength(List<Token> tokens, int start, int end, int strength)
    {
        var from = Math.Max(0, start - 4);
        var to = Math.Min(tokens.Count, end + 4);
        for (var i = from; i < to; i++)
        {
            if (i >= start && i < end) continue;
            if (Intensifiers.Contains(tokens[i].Surface)) return Math.Min(3, strength + 1);
        }
        return strength;
    }

    private static string Clean(string sentence)
    {
        var s = Whitespace().Replace(sentence, " ").Trim();
        return s.Length <= 400 ? s : Common.Texts.Cut(s, 399) + "…";
    }

    private enum MatchKind { Stem, Prefix, Suffix, Exact }

    private sealed record CueToken(MatchKind Kind, string Text);

    private sealed record CompiledCue(string Motive, string Phrase, int Strength, List<CueToken> Tokens, bool ContainsNegation);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"n't\b", RegexOptions.IgnoreCase)]
    private static partial Regex Contraction();

    [GeneratedRegex(@"^(Am .{4,80} schrieb .{1,120}:|On .{4,80} wrote:|-----\s*(Original Message|Ursprüngliche Nachricht)\s*-----|Von: .+|From: .+)$")]
    private static partial Regex QuoteHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
