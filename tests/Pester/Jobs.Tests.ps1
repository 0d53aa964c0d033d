#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $script:NoFfmpeg = -not ((Get-Command ffmpeg -ErrorAction SilentlyContinue) -and (Get-Command ffprobe -ErrorAction SilentlyContinue))
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Run = Initialize-NemoTestRun -ConfigRoot $TestDrive -EmulatorArguments @('--anonymous-credits', '100000')
    $script:Emulator = $Run.Emulator
    Connect-Nemo
    $script:Clip = if (Test-Ffmpeg) { New-TestClip -Path (Join-Path $TestDrive 'source.mp4') -Seconds 3 }
}

AfterAll {
    Complete-NemoTestRun $Run
}

Describe 'ConvertTo-NemoMp3' -Skip:$NoFfmpeg {
    BeforeEach {
        $script:Dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Dir | Out-Null
    }

    It 'turns every piped .mkv into an MP3 at the bitrate asked for' {
        foreach ($name in 'one.mkv', 'two words.mkv', 'três.mkv') { New-TestClip -Path (Join-Path $Dir $name) -Seconds 2 | Out-Null }
        $results = Get-ChildItem (Join-Path $Dir '*.mkv') | ConvertTo-NemoMp3 -Bitrate 320
        $results | Should -HaveCount 3
        foreach ($file in $results) {
            $file | Should -BeOfType System.IO.FileInfo
            $file.Extension | Should -Be '.mp3'
            $file.Bitrate | Should -Be 320
            $file.SessionId | Should -Match '^\d+$'
            $file.Source | Should -Be ([System.IO.Path]::ChangeExtension($file.FullName, '.mkv'))
            $info = Get-StreamInfo $file.FullName
            $info.Codec | Should -Be 'mp3'
            $info.BitRate | Should -Be 320000
            $info.Duration | Should -BeGreaterThan 1.8
        }
        @($results.SessionId | Sort-Object -Unique) | Should -HaveCount 3 -Because 'each file gets a session of its own'
    }

    It 'writes nothing and sends nothing that costs or changes anything with -WhatIf' {
        Copy-Item $Clip (Join-Path $Dir 'a.mp4')
        $before = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests
        $files = @(Get-ChildItem $Dir)
        $files | ConvertTo-NemoMp3 -WhatIf -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        @(Get-ChildItem $Dir) | Should -HaveCount $files.Count -Because 'no file was written, not even a temporary one'
        Get-ChildItem $Dir -Filter *.mp3 | Should -BeNullOrEmpty
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests | Should -Be ($before + 2) -Because 'only the balance (for the credit estimate) and the stats call itself were asked for'
    }

    It 'reports a bad file as a non-terminating error and converts the rest' {
        Copy-Item $Clip (Join-Path $Dir 'good1.mp4')
        Copy-Item $Clip (Join-Path $Dir 'good2.mp4')
        Set-Content -Path (Join-Path $Dir 'broken.mp4') -Value 'this is text, not a video'
        $results = Get-ChildItem $Dir -Filter *.mp4 | ConvertTo-NemoMp3 -ErrorVariable failures -ErrorAction SilentlyContinue
        $results | Should -HaveCount 2
        $failures | Should -HaveCount 1
        $failures[0].TargetObject.Name | Should -Be 'broken.mp4'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData' # the same id and category on either engine
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Nemo.NotMedia,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'plays'
        Test-Path (Join-Path $Dir 'broken.mp3') | Should -BeFalse
    }

    It 'refuses unsupported types before uploading anything' {
        Set-Content -Path (Join-Path $Dir 'notes.txt') -Value 'x'
        $before = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests
        ConvertTo-NemoMp3 -LiteralPath (Join-Path $Dir 'notes.txt') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Nemo.UnsupportedType,*'
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests | Should -Be ($before + 1)
    }

    It 'leaves existing output alone: an error by default, skipped with -SkipExisting, replaced with -Force' {
        Copy-Item $Clip (Join-Path $Dir 'a.mp4')
        Copy-Item $Clip (Join-Path $Dir 'b.mp4')
        Set-Content -Path (Join-Path $Dir 'a.mp3') -Value 'precious'
        ConvertTo-NemoMp3 -Path (Join-Path $Dir 'a.mp4') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $results = Get-ChildItem $Dir -Filter *.mp4 | ConvertTo-NemoMp3 -SkipExisting
        $results.Name | Should -Be 'b.mp3'
        Get-Content (Join-Path $Dir 'a.mp3') | Should -Be 'precious'
        ConvertTo-NemoMp3 -Path (Join-Path $Dir 'a.mp4') -Force | Should -Not -BeNullOrEmpty
        (Get-StreamInfo (Join-Path $Dir 'a.mp3')).Codec | Should -Be 'mp3'
        { ConvertTo-NemoMp3 -Path (Join-Path $Dir 'a.mp4') -Force -SkipExisting } | Should -Throw -ErrorId 'Nemo.ForceAndSkipExisting*'
    }

    It 'writes into -Destination and refuses a file name there for several inputs' {
        Copy-Item $Clip (Join-Path $Dir 'a.mp4')
        Copy-Item $Clip (Join-Path $Dir 'b.mp4')
        $out = New-Item -ItemType Directory -Path (Join-Path $Dir 'out')
        (Get-ChildItem $Dir -Filter *.mp4 | ConvertTo-NemoMp3 -Destination $out).DirectoryName | Sort-Object -Unique | Should -Be $out.FullName
        { Get-ChildItem $Dir -Filter *.mp4 | ConvertTo-NemoMp3 -Destination (Join-Path $Dir 'single.mp3') -ErrorAction Stop } | Should -Throw -ErrorId 'Nemo.DestinationNotAFolder*'
    }

    It 'says which path matched nothing' {
        ConvertTo-NemoMp3 -Path (Join-Path $Dir '*.nothing') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'rejects a bitrate that is not an MP3 bitrate while binding, and reads 320k as people write it' {
        { ConvertTo-NemoMp3 -Path $Clip -Bitrate 500 } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        { ConvertTo-NemoMp3 -Path $Clip -Bitrate 191 } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage '*192*'
        { ConvertTo-NemoMp3 -Path $Clip -Bitrate fast } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        ConvertTo-NemoMp3 -Path $Clip -Bitrate 320k -WhatIf | Should -BeNullOrEmpty
        ConvertTo-NemoMp3 -Path $Clip -Bitrate 96kbps -WhatIf | Should -BeNullOrEmpty
    }

    It 'stops at once on Ctrl+C: the render is cancelled on the server and no partial file is left' {
        $slow = Start-NemoEmulator -ArgumentList @('--min-render-seconds', '120')
        try {
            Copy-Item $Clip (Join-Path $Dir 'slow.mp4')
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                param($Manifest, $BaseUri, $Source)
                Import-Module $Manifest
                ConvertTo-NemoMp3 -LiteralPath $Source -Session (Connect-Nemo -BaseUri $BaseUri -PassThru)
            }).AddArgument((Get-NemoModuleManifest)).AddArgument($slow.BaseUri).AddArgument((Join-Path $Dir 'slow.mp4'))
            $handle = $ps.BeginInvoke()
            $deadline = (Get-Date).AddSeconds(60)
            while ((Invoke-EmulatorAdmin $slow 'stats' -Method Get).renders -lt 1 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
            (Invoke-EmulatorAdmin $slow 'stats' -Method Get).render_cancels | Should -Be 1
            Get-ChildItem $Dir -Filter '*.mp3*' -Force | Should -BeNullOrEmpty
            Get-ChildItem $Dir -Filter '*.partial' -Force | Should -BeNullOrEmpty
            $ps.Dispose()
        }
        finally { Stop-NemoEmulator $slow }
    }
}

Describe 'Compress-NemoVideo' -Skip:$NoFfmpeg {
    It 'compresses to the bitrate and resolution asked for, beside the source, never over it' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'compress')
        $source = Copy-Item $Clip (Join-Path $dir 'talk.mp4') -PassThru
        $result = $source | Compress-NemoVideo -VideoBitrate 500k -Resolution 240p
        $result.Name | Should -Be 'talk.compressed.mp4'
        $result.RequestedBitrate | Should -Be 500
        $result.Bitrate | Should -BeGreaterThan 0 # measured from the file: x264 lands near, not on, the target
        $result.Bitrate | Should -BeLessOrEqual 650
        $video = Get-StreamInfo $result.FullName -Kind v
        $video.Codec | Should -Be 'h264'
        $video.Height | Should -Be 240
        $video.BitRate | Should -BeGreaterThan 475000
        $video.BitRate | Should -BeLessThan 525000
        (Get-Item $source).Length | Should -Be (Get-Item $Clip).Length
    }

    It 'reads bitrates as people write them and refuses nonsense while binding' {
        { Compress-NemoVideo -Path $Clip -VideoBitrate '8 Gbps' } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        { Compress-NemoVideo -Path $Clip -VideoBitrate 8 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Compress-NemoVideo -Path $Clip -VideoBitrate 2.5Mbps -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'The local engine' -Skip:$NoFfmpeg {
    It 'converts with ffmpeg on this machine: same outputs, nothing sent to the service' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'local')
        Copy-Item $Clip (Join-Path $dir 'a.mp4')
        Copy-Item $Clip (Join-Path $dir 'b.mp4')
        $before = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests
        $results = Get-ChildItem $dir -Filter *.mp4 | ConvertTo-NemoMp3 -Engine Local -Bitrate 128
        $results | Should -HaveCount 2
        $results[0].Engine | Should -Be 'Local'
        $results[0].Bitrate | Should -Be 128
        (Get-StreamInfo $results[0].FullName).BitRate | Should -Be 128000
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests | Should -Be ($before + 1)
    }

    It 'is the default after Connect-Nemo -Engine Local, and compresses in two passes' {
        Connect-Nemo -Engine Local
        try {
            $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'local2')
            $result = Copy-Item $Clip (Join-Path $dir 'c.mp4') -PassThru | Compress-NemoVideo -VideoBitrate 300k -TwoPass
            $result.Engine | Should -Be 'Local'
            (Get-StreamInfo $result.FullName -Kind v).Codec | Should -Be 'h264'
        }
        finally { Connect-Nemo }
    }

    It 'says how to install ffmpeg when it is missing' {
        $saved = $env:NEMO_FFMPEG
        try {
            $env:NEMO_FFMPEG = Join-Path $TestDrive 'no-such-ffmpeg'
            { ConvertTo-NemoMp3 -Path $Clip -Engine Local -Destination (Join-Path $TestDrive 'x.mp3') -ErrorAction Stop } |
                Should -Throw -ErrorId 'Nemo.FfmpegMissing*'
        }
        finally { $env:NEMO_FFMPEG = $saved }
    }

    It 'reports a video without audio, and -AudioTrack that does not exist, per file' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'local3')
        $silent = Join-Path $dir 'silent.mp4'
        & ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=320x240:rate=15 -t 2 -c:v libx264 -preset ultrafast $silent
        ConvertTo-NemoMp3 -LiteralPath $silent -Engine Local -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'Nemo.NoSuchTrack,*'
        $failures[0].Exception.Message | Should -Match 'no audio track'
        ConvertTo-NemoMp3 -LiteralPath $Clip -Engine Local -AudioTrack 5 -Destination (Join-Path $dir 'x.mp3') -ErrorVariable failures2 -ErrorAction SilentlyContinue
        $failures2[0].Exception.Message | Should -Match 'no track 5'
    }
}

Describe 'Bad input' -Skip:$NoFfmpeg {
    BeforeAll {
        $script:Bad = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bad')
    }

    It 'refuses <Case> with <Category> before anything is sent' -TestCases @(
        @{ Case = 'a folder instead of a file'; Make = { param($d) (New-Item -ItemType Directory -Path (Join-Path $d 'folder.mp4')).FullName }; Category = 'InvalidArgument' }
        @{ Case = 'a zero-byte file'; Make = { param($d) $p = Join-Path $d 'empty.mp4'; [IO.File]::WriteAllBytes($p, @()); $p }; Category = 'InvalidData' }
        # Not media, found by ffprobe before a session is made (a real recording over the limit sends only its audio). It
        # looks like a video until then, so the free balance read for the credit estimate happens first: one request.
        @{ Case = '501 MB of zeros named .mkv'; Make = { param($d) $p = Join-Path $d 'huge.mkv'; $f = [IO.File]::Create($p); $f.SetLength(501MB); $f.Dispose(); $p }; Category = 'InvalidData'; Reads = 1 }
        @{ Case = 'an unsupported extension'; Make = { param($d) $p = Join-Path $d 'slides.pdf'; Set-Content $p 'x'; $p }; Category = 'InvalidType' }
    ) {
        param($Case, $Make, $Category, $Reads = 0)
        $path = & $Make $Bad
        $before = (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests
        ConvertTo-NemoMp3 -LiteralPath $path -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        (Invoke-EmulatorAdmin $Emulator 'stats' -Method Get).requests | Should -Be ($before + 1 + $Reads)
    }

    It 'refuses a file name whose folder is missing before anything is sent (a missing -Destination folder is made)' {
        ConvertTo-NemoMp3 -Path $Clip -Destination (Join-Path $Bad 'no/such/episode.mp3') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Match 'does not exist'
    }

    It 'says a missing path is missing' {
        ConvertTo-NemoMp3 -LiteralPath (Join-Path $Bad 'nope.mp4') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
