#Requires -Version 7.4
<#
.SYNOPSIS
    Run by Install-FromPackage.ps1 in a new pwsh: NemoVideo imported by name (as installed), the main job with
    -Engine Local on two clips made by ffmpeg, each MP3 checked with ffprobe.
#>
param($Work, $Version)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module NemoVideo
$module = Get-Module NemoVideo
if ($module.Version -ne [version]$Version) { throw "Imported NemoVideo $($module.Version), expected $Version" }
$repository = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if ($module.ModuleBase.StartsWith($repository)) { throw "NemoVideo was imported from the repository ($($module.ModuleBase)), not from where it was installed" }
Write-Host "Import-Module NemoVideo: $($module.Version) from $($module.ModuleBase)"
foreach ($name in 'interview', 'webinar part 2') {
    & ffmpeg -hide_banner -loglevel error -y -f lavfi -i 'testsrc2=size=320x240:rate=25' -f lavfi -i 'sine=frequency=440:sample_rate=44100' -t 3 -c:v libx264 -preset ultrafast -c:a aac (Join-Path $Work "$name.mkv")
    if ($LASTEXITCODE -ne 0) { throw "ffmpeg could not make $name.mkv" }
}
Set-Location -LiteralPath $Work
$results = @(Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 192 -Engine Local)
$results | Format-Table Name, Bitrate, Duration, Engine, Length -AutoSize | Out-String | Write-Host
if ($results.Count -ne 2) { throw "Expected 2 MP3s, got $($results.Count)" }
foreach ($r in $results) {
    $probe = & ffprobe -v error -select_streams a:0 -show_entries 'stream=codec_name,bit_rate' -of json -- $r.FullName | ConvertFrom-Json
    if ($probe.streams[0].codec_name -ne 'mp3' -or [int]$probe.streams[0].bit_rate -ne 192000) { throw "$($r.Name) is not a 192 kbps MP3: $($probe | ConvertTo-Json -Compress)" }
    if ($r.Bitrate -ne 192) { throw "$($r.Name) reports $($r.Bitrate) kbps" }
}
Write-Host 'The installed module converted both clips: MP3, 192 kbps (ffprobe).'
