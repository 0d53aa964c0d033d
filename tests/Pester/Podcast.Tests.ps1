#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Run = Initialize-NemoTestRun -ConfigRoot $TestDrive -EmulatorArguments @('--anonymous-credits', '100000')
    Connect-Nemo
    if (Test-Ffmpeg) {
        # A recording as a podcaster has it: a title, three chapters, quiet speech-like audio.
        $script:Recording = Join-Path $TestDrive 'recording.mkv'
        $meta = Join-Path $TestDrive 'meta.txt'
        Set-Content -LiteralPath $meta -Encoding utf8NoBOM -Value @(
            ';FFMETADATA1', 'title=Episode 9', 'artist=Nemo FM',
            '[CHAPTER]', 'TIMEBASE=1/1000', 'START=0', 'END=3000', 'title=Hello',
            '[CHAPTER]', 'TIMEBASE=1/1000', 'START=3000', 'END=6000', 'title=Middle — Ünï',
            '[CHAPTER]', 'TIMEBASE=1/1000', 'START=6000', 'END=8000', 'title=Bye')
        & ffmpeg -hide_banner -loglevel error -y -f lavfi -i 'testsrc2=size=320x240:rate=15' `
            -f lavfi -i "aevalsrc='0.08*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*0.7*t))':s=44100:d=8" -i $meta `
            -t 8 -map 0:v -map 1:a -map_metadata 2 -map_chapters 2 -c:v libx264 -preset ultrafast -c:a aac $Recording
        $script:Cover = Join-Path $TestDrive 'cover.jpg'
        & ffmpeg -hide_banner -loglevel error -y -f lavfi -i 'testsrc2=size=240x240' -frames:v 1 $Cover
    }
}

AfterAll {
    Complete-NemoTestRun $Run
}

Describe 'Podcast episodes in a real pwsh' -Skip:$NoFfmpeg {
    BeforeEach {
        $script:Dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Dir | Out-Null
        Copy-Item $Recording (Join-Path $Dir 'episode.mkv')
    }

    It 'comes out of the <Engine> engine at -16 LUFS with the chapters, the cover and the tags, and Get-NemoMediaInfo reads them back' -TestCases @(@{ Engine = 'Cloud' }, @{ Engine = 'Local' }) {
        param($Engine)
        $mp3 = Get-ChildItem (Join-Path $Dir '*.mkv') |
            ConvertTo-NemoMp3 -Engine $Engine -Bitrate 128 -Loudness -16 -CoverImage $Cover -Tag @{ Album = 'Season 1'; Year = 2026 } -ErrorAction Stop
        $mp3 | Should -HaveCount 1
        $mp3.Loudness | Should -BeGreaterOrEqual -16.5
        $mp3.Loudness | Should -BeLessOrEqual -15.5
        $mp3.TruePeak | Should -BeLessOrEqual -0.95
        $mp3.Title | Should -Be 'Episode 9'

        $info = $mp3 | Get-NemoMediaInfo -Loudness
        $info.Container | Should -Be 'MP3'
        $info.Bitrate | Should -Be 128
        $info.Album | Should -Be 'Season 1'
        $info.Artist | Should -Be 'Nemo FM'
        $info.Chapters.Title | Should -Be @('Hello', 'Middle — Ünï', 'Bye')
        $info.Cover | Should -Match '^image/jpeg 240x240'
        [math]::Abs($info.Loudness - $mp3.Loudness) | Should -BeLessThan 0.15

        # What ffprobe reads of the same file.
        $probe = & ffprobe -v error -show_chapters -show_format -show_streams -of json $mp3.FullName | ConvertFrom-Json
        $probe.chapters.tags.title | Should -Be @('Hello', 'Middle — Ünï', 'Bye')
        $probe.format.tags.album | Should -Be 'Season 1'
        ($probe.streams | Where-Object codec_type -eq 'video').codec_name | Should -Be 'mjpeg'
        Get-ChildItem $Dir -Force | Where-Object Name -like '*.partial' | Should -BeNullOrEmpty
    }

    It 'takes chapters from a CSV file and refuses a cover that is not a picture with one error' {
        Set-Content -LiteralPath (Join-Path $Dir 'chapters.csv') -Value 'Start,Title', '0,Cold open', '0:04,Questions'
        $mp3 = ConvertTo-NemoMp3 -LiteralPath (Join-Path $Dir 'episode.mkv') -Engine Local -Chapter (Import-Csv (Join-Path $Dir 'chapters.csv'))
        (Get-NemoMediaInfo -LiteralPath $mp3.FullName).Chapters.Title | Should -Be @('Cold open', 'Questions')

        Remove-Item $mp3.FullName
        { ConvertTo-NemoMp3 -LiteralPath (Join-Path $Dir 'episode.mkv') -Engine Local -CoverImage (Join-Path $Dir 'chapters.csv') } |
            Should -Throw -ErrorId 'Nemo.BadCoverImage*' -ExpectedMessage '*not a JPEG or PNG*'
        Get-ChildItem $Dir -Filter *.mp3 | Should -BeNullOrEmpty
    }
}
