#Requires -Version 7.4
<#
.SYNOPSIS
    Installs NemoVideo the way users do, from the package ./build.ps1 -Package made, and uses it by name.
.DESCRIPTION
    Registers out/packages as a folder repository, Install-PSResource NemoVideo -Scope CurrentUser, then in a new
    pwsh (nothing of this repository on its PSModulePath) Import-Module NemoVideo by name and runs the main job with
    -Engine Local on two clips made by ffmpeg; each MP3 is checked with ffprobe. CI runs it with a fresh HOME, so
    the profile, the module folder and the repository list are a new user's.
.EXAMPLE
    HOME=$(mktemp -d) dotnet pwsh ./tests/Install/Install-FromPackage.ps1
#>
[CmdletBinding()]
param(
    [string] $PackageFolder = (Join-Path $PSScriptRoot '../../out/packages')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$PackageFolder = (Resolve-Path $PackageFolder).Path
$manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../NemoVideo.psd1')
$version = $manifest.ModuleVersion
$nupkg = Join-Path $PackageFolder "NemoVideo.$version.nupkg"
if (-not (Test-Path $nupkg)) { throw "No ${nupkg}: run ./build.ps1 -Package first." }

# The package holds the module and nothing else.
Add-Type -AssemblyName System.IO.Compression.FileSystem
$zip = [IO.Compression.ZipFile]::OpenRead($nupkg)
try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
$stray = @($entries | Where-Object { $_ -match '(^|/)(tests?|tools|bench|src|docs)/|\.(pdb|cs|csproj|deps\.json|sln)$|^(build|demo)\.ps1$' })
if ($stray) { throw "The package holds more than the module: $($stray -join ', ')" }
foreach ($needed in 'NemoVideo.psd1', 'NemoVideo.PowerShell.dll', 'NemoVideo.Core.dll', 'LICENSE', 'en-US/NemoVideo.PowerShell.dll-Help.xml') {
    if ($needed -notin $entries) { throw "The package lacks $needed (it has: $($entries -join ', '))" }
}
Write-Host "NemoVideo.${version}.nupkg: $($entries.Count) entries, the module only"

$repository = 'NemoVideoLocal'
if (Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue) { Unregister-PSResourceRepository -Name $repository }
Register-PSResourceRepository -Name $repository -Uri $PackageFolder -Trusted
try {
    Install-PSResource -Name NemoVideo -Version $version -Repository $repository -Scope CurrentUser -Reinstall
}
finally { Unregister-PSResourceRepository -Name $repository }
$installed = Get-InstalledPSResource -Name NemoVideo -Version $version -Scope CurrentUser
Write-Host "Installed NemoVideo $($installed.Version) into $($installed.InstalledLocation)"

# A new pwsh, as a user opens one: the module is found by name on the default PSModulePath.
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
$work = Join-Path ([IO.Path]::GetTempPath()) ('nemo-install-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
try {
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Use-InstalledModule.ps1') -Work $work -Version $version
    if ($LASTEXITCODE -ne 0) { throw "Using the installed module failed (exit code $LASTEXITCODE)." }
}
finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
