#Requires -Version 5.1
<#
.SYNOPSIS
    Builds the NemoVideo module folder (out/NemoVideo) and runs every test suite.
.DESCRIPTION
    1. dotnet publish of src/NemoVideo.PowerShell assembles out/NemoVideo: manifest, assemblies, dependencies.
    2. dotnet test runs the xunit suite (the core against the emulator over real HTTP, ffmpeg, ffprobe).
    3. Invoke-Pester runs tests/Pester against the built module and an emulator process, where Pester 5 is installed.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -SkipTests   # module folder and Pester only
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $SkipTests,
    [switch] $SkipPester
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

    if (-not $SkipPester) {
        $pester = Get-Module Pester -ListAvailable | Where-Object { $_.Version -ge [version]'5.0.0' } |
            Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            Write-Warning 'Pester 5 is not installed, so tests/Pester was not run. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
            return
        }
        Import-Module $pester -Force
        $env:NEMO_TEST_CONFIGURATION = $Configuration
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $result = Invoke-Pester -Configuration $config
        Write-Host ('{0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $result.FailedCount, $result.SkippedCount)
        if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') { throw "Pester: $($result.FailedCount) test(s) failed." }
    }
}
finally {
    Pop-Location
}
