#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the NemoVideo module folder (out/NemoVideo), runs every test suite, and makes the gallery package.
.DESCRIPTION
    1. dotnet publish of src/NemoVideo.PowerShell assembles out/NemoVideo: manifest, assemblies, dependencies, help.
    2. dotnet test runs both xunit projects (tests/Unit: the core against the emulator over real HTTP, ffmpeg,
       ffprobe; tests/PowerShell: the published module in PowerShell 7.6 hosted in-process).
    3. Invoke-Pester runs tests/Pester against the built module and an emulator process, in this pwsh, with
       Pester restored from the registry into out/modules (tools/TestModules).
    4. With -Package: Test-ModuleManifest, then Publish-PSResource of out/NemoVideo into a folder repository,
       out/packages/NemoVideo.<version>.nupkg.
    Run it in the PowerShell of the repository's tool manifest: dotnet tool restore; dotnet pwsh ./build.ps1
.EXAMPLE
    dotnet pwsh ./build.ps1
.EXAMPLE
    dotnet pwsh ./build.ps1 -Package -SkipTests   # out/packages/NemoVideo.<version>.nupkg, no tests run
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Runs no test at all (neither xunit nor Pester).
    [switch] $SkipTests,
    # Runs xunit but not Pester.
    [switch] $SkipPester,
    # Makes out/packages/NemoVideo.<version>.nupkg with PSResourceGet.
    [switch] $Package
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    function Invoke-Native([string] $What, [scriptblock] $Command) {
        & $Command
        if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
    }

    $out = Join-Path $PSScriptRoot 'out/NemoVideo'
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    Invoke-Native 'Building the module' { dotnet publish src/NemoVideo.PowerShell -c $Configuration -o $out --nologo }
    Invoke-Native 'Building the emulator' { dotnet build src/NemoVideo.Emulator -c $Configuration --nologo }
    Write-Host "Module folder: $out"

    if (-not $SkipTests) {
        Invoke-Native 'xunit tests' { dotnet test NemoVideo.sln -c $Configuration --nologo }
    }

    if (-not $SkipTests -and -not $SkipPester) {
        # Pester from the registry (Directory.Packages.props names the version), never whatever happens to be installed.
        Invoke-Native 'Restoring Pester' { dotnet build tools/TestModules --nologo -v quiet }
        $modules = Join-Path $PSScriptRoot 'out/modules'
        $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
        $pester = Get-ChildItem -Path (Join-Path $modules 'Pester') -Directory | Select-Object -First 1
        Import-Module (Join-Path $pester.FullName 'Pester.psd1') -Force
        $env:NEMO_TEST_CONFIGURATION = $Configuration
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $result = Invoke-Pester -Configuration $config
        # Pester's own summary line ("Tests Passed: …") is above; this one is the shape CI adds up.
        Write-Host ('Pester {0}: {1} passed, {2} failed, {3} skipped' -f $pester.Name, $result.PassedCount, $result.FailedCount, $result.SkippedCount)
        if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed' -or $result.PassedCount -eq 0) {
            throw "Pester: $($result.FailedCount) test(s) failed (result: $($result.Result))."
        }
    }

    if ($Package) {
        $manifest = Test-ModuleManifest -Path (Join-Path $out 'NemoVideo.psd1')
        $packages = Join-Path $PSScriptRoot 'out/packages'
        New-Item -ItemType Directory -Path $packages -Force | Out-Null
        $nupkg = Join-Path $packages "NemoVideo.$($manifest.Version).nupkg"
        Remove-Item $nupkg -ErrorAction SilentlyContinue
        # A repository of our own for the publish only, so the user's repository list is left as it was.
        $repository = 'NemoVideoBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
        try {
            Publish-PSResource -Path $out -Repository $repository
        }
        finally {
            Unregister-PSResourceRepository -Name $repository
        }
        if (-not (Test-Path $nupkg)) { throw "Publish-PSResource did not write $nupkg." }
        Write-Host "Package: $nupkg"
    }
}
finally {
    Pop-Location
}
