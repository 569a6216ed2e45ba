namespace Streamer.Models.Tests.Fixtures;

/// <summary>
/// xunit MemberData sources: one row (fixture folder, case name) per fixture folder holding the
/// case. With no fixture folder at all the single row carries a marker that makes
/// <see cref="FixtureCase.Open"/> fail with the places searched, so a parity test never passes
/// silently.
/// </summary>
public static class FixtureData
{
    /// <summary>Rows for one case name in every fixture folder.</summary>
    public static TheoryData<string, string> Case(string caseName) => Cases(name => name == caseName);

    /// <summary>Rows for every case whose name starts with <paramref name="prefix"/> and ends with <paramref name="suffix"/>.</summary>
    public static TheoryData<string, string> CasesMatching(string prefix, string suffix) =>
        Cases(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>Rows for every fixture folder (model-level tests that need no case).</summary>
    public static TheoryData<string> Folders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in FixtureCatalog.All)
        {
            data.Add(folder);
        }
        if (data.Count == 0)
        {
            data.Add(FixtureCase.MissingFolderMarker + " " + FixtureCatalog.DescribeSearch());
        }
        return data;
    }

    private static TheoryData<string, string> Cases(Func<string, bool> match)
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in FixtureCatalog.All)
        {
            foreach (var name in FixtureCase.CaseNames(folder).Where(match))
            {
                data.Add(folder, name);
            }
        }
        if (data.Count == 0)
        {
            data.Add(FixtureCase.MissingFolderMarker + " " + FixtureCatalog.DescribeSearch(), "none");
        }
        return data;
    }

    /// <summary>Opens a fixture folder's weights, failing with the search description for the marker row.</summary>
    public static string RequireFolder(string folder) =>
        folder.StartsWith(FixtureCase.MissingFolderMarker, StringComparison.Ordinal)
            ? throw new InvalidOperationException(FixtureCatalog.DescribeSearch())
            : folder;
}
