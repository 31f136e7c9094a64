[assembly: Xunit.AssemblyFixture(typeof(Motiv.Testing.OneHeavyModule))]
