#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# demo.ps1 -Folder on a user's folder of recordings, one of them without audio, in a pwsh of its own.

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Pwsh = @(Get-PwshCommand)
}

Describe 'demo.ps1 -Folder' -Skip:$NoFfmpeg {
    It 'writes only MP3s into the folder, goes on past a file without audio, and leaves no temporary folder' {
        $folder = Join-Path $TestDrive 'My Recordings'
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestClip -Path (Join-Path $folder 'talk.mkv') -Seconds 2 | Out-Null
        New-TestClip -Path (Join-Path $folder 'screen only.mkv') -Seconds 2 -AudioTracks 0 | Out-Null
        New-TestClip -Path (Join-Path $folder 'webinar.mkv') -Seconds 2 | Out-Null
        $before = @(Get-ChildItem $folder -Force -Recurse).FullName
        $temp = [IO.Path]::GetTempPath()
        $tempBefore = @(Get-ChildItem $temp -Directory -Filter 'nemo-demo-*' -ErrorAction SilentlyContinue).FullName

        $log = Join-Path $TestDrive 'demo.log'
        $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'demo.ps1'), '-Folder', ('"{0}"' -f $folder), '-Bitrate', '192') # Start-Process joins arguments with spaces
        $demo = Start-Process -FilePath $Pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
        if (-not $demo.WaitForExit(300000)) { $demo.Kill(); throw 'The demo did not end in 5 minutes.' }
        $text = (Get-Content $log, "$log.err" -Raw -ErrorAction SilentlyContinue) -join "`n"

        $made = @(Get-ChildItem $folder -Force -Recurse | Where-Object FullName -NotIn $before)
        $made.Name | Sort-Object | Should -Be @('talk.mp3', 'webinar.mp3') -Because "the folder gets the MP3s and nothing else (no .nemo-config); the demo said:`n$text"
        $text | Should -Match 'screen only\.mkv' -Because 'the file without audio is reported, by name'
        $text | Should -Match ([regex]::Escape((Join-Path $folder '*.mkv'))) -Because 'paths are printed with this platform''s separator'
        @(Get-ChildItem $temp -Directory -Filter 'nemo-demo-*' -ErrorAction SilentlyContinue).FullName | Where-Object { $_ -notin $tempBefore } |
            Should -BeNullOrEmpty -Because 'the demo removes its temporary folder'
    }
}
